using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server;

/// <summary>The server's log messages, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Region {Region} listening on {Address}")]
    public static partial void Listening(ILogger logger, string region, string address);

    [LoggerMessage(3, LogLevel.Information, "Analysed {AnalysisId} ({Format}, {Size} bytes) in {ElapsedMs} ms")]
    public static partial void Analysed(ILogger logger, string analysisId, string format, long size, double elapsedMs);
}
