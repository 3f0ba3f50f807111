using Microsoft.Extensions.Logging;

namespace Palisade.Node.Events;

public sealed partial class SqliteAttackLog
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Attack log open at {Path} (schema version {Version})")]
        public static partial void Opened(ILogger logger, string path, long version);

        [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "Attack log at {Path} is down; events are dropped from it (still written to standard output) until a write succeeds")]
        public static partial void Down(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Attack log at {Path} writes again after {Attempts} failed attempts")]
        public static partial void Recovered(ILogger logger, string path, long attempts);

        [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "Attack log retention deleted {Rows} events; the database is {Bytes} bytes")]
        public static partial void Retention(ILogger logger, long rows, long bytes);

        [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Attack log retention at {Path} failed; stored events are kept and the next pass tries again")]
        public static partial void RetentionFailed(ILogger logger, string path, Exception exception);
    }
}
