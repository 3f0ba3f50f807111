using Microsoft.Extensions.Logging;

namespace Palisade.Node.Policy;

public sealed partial class ConfigReloader
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 60, EventName = "ConfigReloaded", Level = LogLevel.Information,
            Message = "Configuration reloaded: {Routes} routes, {Exclusions} exclusions, {Rules} rules in force")]
        public static partial void ReloadApplied(ILogger logger, int routes, int exclusions, int rules);

        [LoggerMessage(EventId = 61, EventName = "ConfigReloadRejected", Level = LogLevel.Error,
            Message = "Configuration reload rejected, the last good configuration keeps serving: {Reason}")]
        public static partial void ReloadRejected(ILogger logger, string reason);

        [LoggerMessage(EventId = 62, EventName = "ConfigRestartNeeded", Level = LogLevel.Warning,
            Message = "Setting '{Key}' changed: it takes effect at the next restart")]
        public static partial void RestartNeeded(ILogger logger, string key);

        [LoggerMessage(EventId = 63, EventName = "ConfigApplyFailed", Level = LogLevel.Error,
            Message = "Configuration reload failed while putting it in force; the last good configuration keeps serving and the change is tried again")]
        public static partial void ApplyFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 64, EventName = "ConfigReloadFailed", Level = LogLevel.Error,
            Message = "Configuration reload failed; the last good configuration keeps serving and the change is tried again")]
        public static partial void ReloadFailed(ILogger logger, Exception exception);
    }
}
