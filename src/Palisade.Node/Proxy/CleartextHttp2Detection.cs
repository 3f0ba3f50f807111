using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Palisade.Node.Proxy;

/// <summary>
/// Lets one cleartext port speak both HTTP/1.1 and prior-knowledge HTTP/2 (h2c), as a sidecar in front of
/// gRPC and HTTP/1 clients must. Without TLS there is no ALPN, and Kestrel (up to .NET 10) then always picks
/// HTTP/1.1; but an HTTP/2 client always opens with the fixed 24-byte connection preface. This connection
/// middleware peeks at the first bytes without consuming them and tells Kestrel which protocol to run
/// through Kestrel's per-connection protocol override (an internal feature reached by name; when a future
/// Kestrel lacks it, the middleware steps aside and the port stays HTTP/1.1, which the tests will show).
/// </summary>
public static class CleartextHttp2Detection
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private static readonly TimeSpan PeekTimeout = TimeSpan.FromSeconds(10);

    private const string ProtocolsFeatureName = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.HttpProtocolsFeature";
    private const string KestrelCoreAssembly = "Microsoft.AspNetCore.Server.Kestrel.Core";

    // A literal type name lets the trimmer (and NativeAOT) keep the type; the DynamicDependency below keeps its constructor.
    private static readonly Type? ProtocolsFeatureType =
        Type.GetType(ProtocolsFeatureName + ", " + KestrelCoreAssembly, throwOnError: false);

    private static readonly object? Http1 = Create(HttpProtocols.Http1);
    private static readonly object? Http2 = Create(HttpProtocols.Http2);

    /// <summary>True when this Kestrel offers the override; otherwise h2c prior knowledge is unavailable.</summary>
    public static bool IsAvailable => Http1 is not null && Http2 is not null;

    public static ListenOptions UseCleartextHttp2Detection(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        if (IsAvailable)
        {
            listen.Use(next => connection => DetectAsync(connection, next));
        }

        return listen;
    }

    /// <summary>True when this connection was recognised as prior-knowledge HTTP/2.</summary>
    public static bool IsHttp2(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return IsAvailable && ReferenceEquals(connection.Features[ProtocolsFeatureType!], Http2);
    }

    private static async Task DetectAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var http2 = await StartsWithPrefaceAsync(connection.Transport.Input);
        connection.Features[ProtocolsFeatureType!] = http2 ? Http2 : Http1;
        await next(connection);
    }

    // Reads until the first bytes decide (most connections: the very first read), leaving them unconsumed.
    private static async Task<bool> StartsWithPrefaceAsync(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(PeekTimeout);
        await using var registration = timeout.Token.Register(input.CancelPendingRead);
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            var decided = Match(buffer, out var isPreface) || result.IsCompleted || result.IsCanceled;
            input.AdvanceTo(buffer.Start, decided ? buffer.Start : buffer.End);
            if (decided)
            {
                return isPreface;
            }
        }
    }

    // True when the bytes so far decide the question: they already differ from the preface, or hold all of it.
    private static bool Match(ReadOnlySequence<byte> buffer, out bool isPreface)
    {
        Span<byte> head = stackalloc byte[Preface.Length];
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(Preface.AsSpan(0, length)))
        {
            isPreface = false;
            return true;
        }

        isPreface = length == Preface.Length;
        return isPreface;
    }

    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, ProtocolsFeatureName, KestrelCoreAssembly)]
    [UnconditionalSuppressMessage("Trimming", "IL2077", Justification = "The constructor is kept by the DynamicDependency above.")]
    private static object? Create(HttpProtocols protocols) =>
        ProtocolsFeatureType is null ? null : Activator.CreateInstance(ProtocolsFeatureType, protocols);
}
