using System.Net.Sockets;
using System.Text;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>Sends exact bytes to a listener and reads the raw answer, for requests an HTTP client would normalise.</summary>
public static class RawHttp
{
    /// <summary>Sends the request bytes and reads until the server closes or <paramref name="until"/> says the answer is complete.</summary>
    public static async Task<string> SendAsync(Uri address, byte[] request, Func<string, bool>? until = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        var response = new MemoryStream();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            response.Write(buffer, 0, read);
            if (until?.Invoke(Encoding.Latin1.GetString(response.ToArray())) == true)
            {
                break;
            }
        }

        return Encoding.Latin1.GetString(response.ToArray());
    }

    public static Task<string> SendAsync(Uri address, string request, Func<string, bool>? until = null) =>
        SendAsync(address, Encoding.Latin1.GetBytes(request), until);
}
