using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Palisade.Node.Proxy;

public sealed partial class ProxyRequestHandler
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Inspection failed for request {RequestId}; fail-open is {FailOpen}")]
        public static partial void InspectionFailed(ILogger logger, string requestId, bool failOpen, Exception exception);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Forwarding request {RequestId} failed: {Error}")]
        public static partial void ForwardingFailed(ILogger logger, string requestId, ForwarderError error, Exception? exception);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Request {RequestId} ended early by the client: {Error}")]
        public static partial void ClientAborted(ILogger logger, string requestId, ForwarderError error);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Request {RequestId}: the client read nothing of the response for the upstream timeout; connection dropped")]
        public static partial void ClientStalled(ILogger logger, string requestId);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Request {RequestId} sent again: the application closed the reused connection before answering")]
        public static partial void RetriedOnClosedConnection(ILogger logger, string requestId);
    }
}
