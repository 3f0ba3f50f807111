using Microsoft.Extensions.Logging;

namespace Palisade.Node.Events;

public sealed partial class AttackEventLog
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Writing attack events failed; the events of this batch are lost")]
        public static partial void EventWriteFailed(ILogger logger, Exception exception);
    }
}
