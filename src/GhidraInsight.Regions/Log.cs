using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions;

/// <summary>The regions project's log messages, with stable event ids (1000 range).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Warning, "Region {Region} is down after {Failures} failed health checks: {Error}")]
    public static partial void RegionDown(ILogger logger, string region, int failures, string? error);

    [LoggerMessage(1002, LogLevel.Information, "Region {Region} is up ({LatencyMs:F1} ms)")]
    public static partial void RegionUp(ILogger logger, string region, double latencyMs);

    [LoggerMessage(1003, LogLevel.Warning, "Replication to {Target} is failing, retrying with backoff: {Error}")]
    public static partial void ReplicationFailing(ILogger logger, string target, string error);

    [LoggerMessage(1004, LogLevel.Information, "Replication to {Target} recovered")]
    public static partial void ReplicationRecovered(ILogger logger, string target);

    [LoggerMessage(1005, LogLevel.Error, "Replication loop to {Target} stopped unexpectedly")]
    public static partial void ReplicationLoopCrashed(ILogger logger, Exception exception, string target);

    [LoggerMessage(1006, LogLevel.Error, "Region health loop stopped unexpectedly")]
    public static partial void HealthLoopCrashed(ILogger logger, Exception exception);
}
