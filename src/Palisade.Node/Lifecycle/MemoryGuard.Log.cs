using Microsoft.Extensions.Logging;

namespace Palisade.Node.Lifecycle;

public sealed partial class MemoryGuard
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Memory at {Used} of {Limit} bytes: new requests are answered 503 until it falls below 75%")]
        public static partial void SheddingStarted(ILogger logger, long used, long limit);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Memory at {Used} of {Limit} bytes: requests are served again")]
        public static partial void SheddingStopped(ILogger logger, long used, long limit);
    }
}
