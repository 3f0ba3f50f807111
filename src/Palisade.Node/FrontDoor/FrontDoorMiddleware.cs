using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Palisade.Node.Proxy;

namespace Palisade.Node.FrontDoor;

/// <summary>
/// The strict front door: a Kestrel connection middleware that checks every HTTP/1.x request's framing before
/// Kestrel parses it (see <see cref="Http1StreamValidator"/>). A request with a bad head is answered here (400, 414,
/// 431, 501 or 505, then the connection is closed) once Kestrel has answered those before it; one whose chunked body
/// breaks off is ended there, and Kestrel answers 400. HTTP/2 connections pass: Kestrel's HTTP/2 parser is strict.
/// </summary>
public static class FrontDoorMiddleware
{
    /// <summary>Adds the front door to the listener; <paramref name="rejected"/> counts and records each violation.</summary>
    public static ListenOptions UseFrontDoor(this ListenOptions listen, FrontDoorLimits limits, TimeSpan headTimeout, Action<ProtocolViolationContext> rejected)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection => OnConnectionAsync(connection, next, limits, headTimeout, rejected));
        return listen;
    }

    private static async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next, FrontDoorLimits limits, TimeSpan headTimeout, Action<ProtocolViolationContext> rejected)
    {
        if (CleartextHttp2Detection.IsHttp2(connection))
        {
            await next(connection);
            return;
        }

        var feature = new FrontDoorConnectionFeature();
        connection.Features.Set(feature);
        var transport = connection.Transport;
        var validator = new Http1StreamValidator(limits, () => feature.SwitchedProtocols);
        var output = new DeferredCompletionWriter(transport.Output);
        connection.Transport = new FrontDoorTransport(new FrontDoorReader(transport.Input, validator, headTimeout), output);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
            if (validator.Violation is { } violation)
            {
                var requestId = (validator.ViolationInHead ? null : feature.CurrentRequestId) ?? RequestIds.New();
                rejected(new ProtocolViolationContext(violation, connection.RemoteEndPoint, requestId, validator.ViolationInHead));
                if (validator.ViolationInHead)
                {
                    await WriteRejectionAsync(transport.Output, violation, requestId);
                }
            }

            await transport.Output.CompleteAsync(output.CompletionError);
        }
    }

    private static async Task WriteRejectionAsync(PipeWriter output, ProtocolViolation violation, string requestId)
    {
        var status = violation.Status();
        var body = violation.ResponseBody(requestId);
        var head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {Phrase(status)}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n{NodeHeaders.PalisadeRequestId}: {requestId}\r\n\r\n");
        try
        {
            await output.WriteAsync(Encoding.ASCII.GetBytes(head + body));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ConnectionResetException or OperationCanceledException)
        {
            // The client is gone or Kestrel aborted the connection: nothing left to tell.
        }
    }

    private static string Phrase(int status) => status switch
    {
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "Bad Request",
    };

    private sealed class FrontDoorTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
