using System.Net.Sockets;
using System.Text;

namespace Palisade.Node.Tests.Robustness;

/// <summary>One raw exchange on a fresh connection: the bytes sent, everything answered, and whether the node closed.</summary>
internal sealed record RawExchange(string Response, bool Closed)
{
    /// <summary>The status codes of the responses, in order (pipelined requests get several).</summary>
    public IReadOnlyList<int> Statuses =>
        Response.Split("HTTP/1.1 ").Skip(1).Where(p => p.Length >= 3 && char.IsAsciiDigit(p[0])).Select(p => int.Parse(p[..3], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>Sends <paramref name="request"/> (Latin-1) and reads until the node closes or <paramref name="quiet"/> passes without a byte.</summary>
    public static Task<RawExchange> SendAsync(Uri node, string request, TimeSpan? quiet = null) => SendAsync(node, Encoding.Latin1.GetBytes(request), quiet);

    public static async Task<RawExchange> SendAsync(Uri node, byte[] request, TimeSpan? quiet = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(node.Host, node.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        var response = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var timeout = new CancellationTokenSource(quiet ?? TimeSpan.FromSeconds(3));
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return new RawExchange(Encoding.Latin1.GetString(response.ToArray()), Closed: false);
            }
            catch (IOException)
            {
                read = 0;
            }

            if (read == 0)
            {
                return new RawExchange(Encoding.Latin1.GetString(response.ToArray()), Closed: true);
            }

            response.Write(buffer, 0, read);
        }
    }
}
