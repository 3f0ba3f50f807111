using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Palisade.Node.Tests.Events;

/// <summary>A logger that keeps what is logged, to check that a failure was (or was not) reported.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string EventName, string Message, Exception? Exception)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string EventName, string Message, Exception? Exception)> Entries => _entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue((logLevel, eventId.Name ?? eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), formatter(state, exception), exception));
    }
}
