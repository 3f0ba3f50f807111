using Microsoft.Extensions.Logging;

namespace Palisade.Node.Events;

public sealed partial class SyslogEventSink
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, EventName = "SyslogSendFailed", Level = LogLevel.Warning,
            Message = "Sending events to syslog at {Target} failed; events are dropped until it answers again")]
        public static partial void SendFailed(ILogger logger, string target, Exception exception);

        [LoggerMessage(EventId = 3102, EventName = "SyslogRecovered", Level = LogLevel.Information,
            Message = "Sending events to syslog at {Target} works again")]
        public static partial void Recovered(ILogger logger, string target);
    }
}
