using Microsoft.Extensions.Logging;

namespace GhidraInsight.Configuration.Tests.Support;

/// <summary>One entry a <see cref="RecordingLogger"/> kept.</summary>
internal sealed record LogEntry(int EventId, LogLevel Level, string Message);
