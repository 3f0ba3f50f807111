using Microsoft.Extensions.Logging;

namespace Palisade.Node.SharedState;

public sealed partial class SharedIpListChannel
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5010, EventName = "SharedIpMessageUnreadable", Level = LogLevel.Warning,
            Message = "Shared state: an IP list change message could not be read and was ignored")]
        public static partial void BadMessage(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 5011, EventName = "SharedIpCallbackFailed", Level = LogLevel.Error,
            Message = "Shared state: applying a shared IP list change failed")]
        public static partial void CallbackFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 5012, EventName = "SharedIpStoredEntryRejected", Level = LogLevel.Warning,
            Message = "Shared state: the stored IP list entry {Field} is not valid (list, network, reason, expiry or origin) and is skipped")]
        public static partial void StoredEntryRejected(ILogger logger, string field);

        [LoggerMessage(EventId = 5013, EventName = "SharedIpMessageRejected", Level = LogLevel.Warning,
            Message = "Shared state: an IP list change message is not valid (operation, list, network, reason, expiry or origin) and was ignored; {Suppressed} more were ignored without a log since the last one")]
        public static partial void MessageRejected(ILogger logger, long suppressed);

        [LoggerMessage(EventId = 5014, EventName = "SharedIpReloadFailed", Level = LogLevel.Error,
            Message = "Shared state: loading the shared IP list entries failed; it will be tried again")]
        public static partial void ReloadFailed(ILogger logger, Exception exception);
    }
}
