using Microsoft.Extensions.Logging;

namespace Palisade.Node.RateLimiting;

public sealed partial class RateLimiter
{
    internal static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Rate-limit rule {Rule} holds {MaxKeys} live keys: dropped the {Count} least recently seen (raise max-keys if this repeats)")]
        public static partial void KeysEvicted(ILogger logger, string rule, int count, int maxKeys);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Rate-limit rule {Rule}: the graylist callback failed")]
        public static partial void GraylistCallbackFailed(ILogger logger, string rule, Exception exception);
    }
}
