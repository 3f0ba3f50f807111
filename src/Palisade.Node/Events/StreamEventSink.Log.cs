using Microsoft.Extensions.Logging;

namespace Palisade.Node.Events;

public sealed partial class StreamEventSink
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Writing events failed; the events of this batch are lost")]
        public static partial void EventWriteFailed(ILogger logger, Exception exception);
    }
}
