using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Node.Access;

namespace Palisade.Node.Admin;

public static partial class ManagementEndpoints
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "IP list entry added through the management API: {List} {Cidr}, expires {Expires}, reason {Reason}")]
        public static partial void Added(ILogger logger, IpListKind list, IPNetwork cidr, DateTimeOffset? expires, string? reason);

        [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "IP list entry removed through the management API: {List} {Cidr} ({Removal})")]
        public static partial void Removed(ILogger logger, IpListKind list, IPNetwork cidr, IpListRemoval removal);

        [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Management API request refused: no valid bearer token (from {Remote})")]
        public static partial void Unauthorized(ILogger logger, string remote);
    }
}
