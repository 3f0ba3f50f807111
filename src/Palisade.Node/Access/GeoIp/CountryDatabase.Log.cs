using Microsoft.Extensions.Logging;

namespace Palisade.Node.Access.GeoIp;

public sealed partial class CountryDatabase
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Country database {Path} opened: {DatabaseType}, built {Built:yyyy-MM-dd}")]
        public static partial void Opened(ILogger logger, string path, string databaseType, DateTime built);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Country database {Path} could not be opened; country rules match nothing until the node restarts with a readable file")]
        public static partial void OpenFailed(ILogger logger, Exception exception, string path);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Country database {Path} has a corrupt record; addresses that reach it have no country (logged once)")]
        public static partial void LookupFailed(ILogger logger, Exception exception, string path);
    }
}
