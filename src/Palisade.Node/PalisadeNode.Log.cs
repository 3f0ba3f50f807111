using Microsoft.Extensions.Logging;

namespace Palisade.Node;

public sealed partial class PalisadeNode
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Palisade node listening on {Proxy} (admin {Admin}), forwarding to {Upstream}, mode {Mode}, h2c prior knowledge {H2c}")]
        public static partial void Started(ILogger logger, Uri proxy, Uri admin, Uri upstream, string mode, bool h2c);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Draining: readiness is 503, no new connections, in-flight requests have {Timeout} to finish")]
        public static partial void Draining(ILogger logger, TimeSpan timeout);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Palisade node stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Management API on {Management} (bearer token required: {TokenRequired})")]
        public static partial void ManagementListening(ILogger logger, Uri management, bool tokenRequired);
    }
}
