using Microsoft.Extensions.Logging;

namespace Palisade.Node.Policy;

public sealed partial class LivePolicy
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 63, EventName = "ExclusionsWritten", Level = LogLevel.Information,
            Message = "{Count} exclusions confirmed through the management API were written to {File} and are in force")]
        public static partial void ExclusionsWritten(ILogger logger, int count, string file);

        [LoggerMessage(EventId = 64, EventName = "ExclusionsHeldInMemory", Level = LogLevel.Warning,
            Message = "{Count} exclusions confirmed through the management API are in force until the node restarts, not written: {Reason}")]
        public static partial void ExclusionsHeldInMemory(ILogger logger, int count, string reason);

        [LoggerMessage(EventId = 65, EventName = "HostScopedRelaxation", Level = LogLevel.Warning,
            Message = "{Setting}: the client writes the Host header, so any client can claim this host; safe only when the application serves requests by Host too")]
        public static partial void HostScopedRelaxation(ILogger logger, string setting);
    }
}
