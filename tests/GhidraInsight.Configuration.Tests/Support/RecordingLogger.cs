using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Configuration.Tests.Support;

/// <summary>A logger that keeps every entry, for asserting what a reload logged.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IReadOnlyList<string> Messages(int eventId) => [.. _entries.Where(e => e.EventId == eventId).Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new LogEntry(eventId.Id, logLevel, formatter(state, exception)));
}
