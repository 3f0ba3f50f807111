using System.Net;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Palisade.Node.SharedState;

public sealed partial class SharedStateConnection
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, EventName = "RedisConnected", Level = LogLevel.Information,
            Message = "Shared state: connected to Redis at {Endpoints}")]
        public static partial void Connected(ILogger logger, string endpoints);

        [LoggerMessage(EventId = 5002, EventName = "RedisDisconnected", Level = LogLevel.Warning,
            Message = "Shared state: Redis at {Endpoints} unreachable; rate limits, IP lists and events fall back to this replica's memory until it is back")]
        public static partial void Disconnected(ILogger logger, string endpoints);

        [LoggerMessage(EventId = 5003, EventName = "RedisStartedDisconnected", Level = LogLevel.Warning,
            Message = "Shared state: Redis at {Endpoints} did not answer at start; the node serves on its own memory and keeps trying")]
        public static partial void StartedDisconnected(ILogger logger, string endpoints);

        [LoggerMessage(EventId = 5004, EventName = "RedisConnectionFailed", Level = LogLevel.Debug,
            Message = "Shared state: {ConnectionType} connection to {Endpoint} failed ({FailureType})")]
        public static partial void ConnectionFailed(ILogger logger, EndPoint? endpoint, ConnectionType connectionType, ConnectionFailureType failureType, Exception? exception);

        [LoggerMessage(EventId = 5005, EventName = "RedisConnectionRestored", Level = LogLevel.Debug,
            Message = "Shared state: {ConnectionType} connection to {Endpoint} restored")]
        public static partial void ConnectionRestored(ILogger logger, EndPoint? endpoint, ConnectionType connectionType);

        [LoggerMessage(EventId = 5006, EventName = "RedisOperationFailed", Level = LogLevel.Debug,
            Message = "Shared state: {Operation} failed")]
        public static partial void OperationFailed(ILogger logger, SharedStateOperation operation, Exception exception);

        [LoggerMessage(EventId = 5007, EventName = "RedisStateHandlerFailed", Level = LogLevel.Error,
            Message = "Shared state: a connection state handler failed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);
    }
}
