using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server;

/// <summary>The server's log messages, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Region {Region} listening on {Address}")]
    public static partial void Listening(ILogger logger, string region, string address);

    [LoggerMessage(3, LogLevel.Information, "Analysed {AnalysisId} ({Format}, {Size} bytes) in {ElapsedMs} ms")]
    public static partial void Analysed(ILogger logger, string analysisId, string format, long size, double elapsedMs);

    [LoggerMessage(4, LogLevel.Warning, "{Method} {Path} answered 503: {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(5, LogLevel.Warning, "The change feed could not be read (tried again shortly): {Reason}")]
    public static partial void ChangeFeedUnreadable(ILogger logger, string reason);
}
