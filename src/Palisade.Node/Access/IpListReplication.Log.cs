using Microsoft.Extensions.Logging;

namespace Palisade.Node.Access;

public sealed partial class IpListReplication
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5020, EventName = "IpListReplicationStartFailed", Level = LogLevel.Error,
            Message = "Shared state: IP list replication did not start; the node serves with its own lists and loads the shared ones when Redis answers")]
        public static partial void StartFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 5021, EventName = "IpListPublishFailed", Level = LogLevel.Error,
            Message = "Shared state: publishing an IP list change failed; it holds on this replica only")]
        public static partial void PublishFailed(ILogger logger, Exception exception);
    }
}
