using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Tests.Support;

/// <summary>A logger provider that keeps every event (id, level, message, exception) for a test to count.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message, Exception? Exception)> _events = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message, Exception? Exception)> Events => [.. _events];

    public int Count(string eventName) => _events.Count(e => e.Id.Name == eventName);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs._events.Enqueue((eventId, logLevel, formatter(state, exception), exception));
    }
}
