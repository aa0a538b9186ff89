using Microsoft.Extensions.Logging;

namespace GhidraInsight.Gateway;

/// <summary>The gateway's log messages, with stable event ids (4000 range).</summary>
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Gateway listening on {Address}, in front of {Regions}")]
    public static partial void Listening(ILogger logger, string address, string regions);

    [LoggerMessage(4002, LogLevel.Warning, "Region {Region} is out: {Reason}")]
    public static partial void RegionOut(ILogger logger, string region, string reason);

    [LoggerMessage(4003, LogLevel.Information, "Region {Region} is in rotation ({LatencyMs:F1} ms)")]
    public static partial void RegionIn(ILogger logger, string region, double latencyMs);

    [LoggerMessage(4004, LogLevel.Information, "The primary is {Primary} (epoch {Epoch})")]
    public static partial void PrimaryIs(ILogger logger, string primary, long epoch);

    [LoggerMessage(4005, LogLevel.Warning, "No region could serve {Method} {Path} (request {RequestId}): {Tried}")]
    public static partial void NoRegion(ILogger logger, string method, string path, string requestId, string tried);

    [LoggerMessage(4006, LogLevel.Error, "Probe loop stopped unexpectedly; restarting")]
    public static partial void ProbeLoopCrashed(ILogger logger, Exception exception);

    [LoggerMessage(4007, LogLevel.Warning, "Listening on {Host} over plain HTTP (gateway.allow_insecure_http): API keys and results travel in clear text unless a balancer in front terminates TLS")]
    public static partial void PlainHttpBeyondLoopback(ILogger logger, string host);
}
