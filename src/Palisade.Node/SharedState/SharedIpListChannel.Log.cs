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
    }
}
