using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Palisade.TestUpstream;

// Usage: Palisade.TestUpstream [--port N]   (prints "listening <port>" once ready)
var port = 0;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port")
    {
        port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
}

var listener = new TcpListener(IPAddress.Loopback, port);
listener.Start(1024);
Console.WriteLine($"listening {((IPEndPoint)listener.LocalEndpoint).Port}");
Console.Out.Flush();

while (true)
{
    var socket = await listener.AcceptSocketAsync();
    // A response is written as head then body: without NoDelay the body waits for the peer's delayed ACK (40 ms).
    socket.NoDelay = true;
    _ = Task.Run(() => new RecordingConnection(socket).RunAsync());
}
