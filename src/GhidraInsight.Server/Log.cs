using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server;

/// <summary>The server's log messages, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Region {Region} listening on {Address}")]
    public static partial void Listening(ILogger logger, string region, string address);

    [LoggerMessage(3, LogLevel.Information, "Analysed {AnalysisId} ({Format}, {Size} bytes) in {ElapsedMs} ms")]
    public static partial void Analysed(ILogger logger, string analysisId, string format, long size, double elapsedMs);

    [LoggerMessage(4, LogLevel.Warning, "{Method} {Path} answered 503 {Code} (request {RequestId}): {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, string method, string path, string code, string requestId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "The change feed could not be read (tried again shortly): {Reason}")]
    public static partial void ChangeFeedUnreadable(ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Warning, "The data folder {Folder} has {Free} free, below the reserve of {Reserve}: uploads and replicated analyses are refused (503 STORAGE_FULL) until space is freed")]
    public static partial void FreeSpaceLow(ILogger logger, string folder, string free, string reserve);

    [LoggerMessage(7, LogLevel.Information, "The data folder {Folder} has {Free} free again: uploads are taken")]
    public static partial void FreeSpaceRecovered(ILogger logger, string folder, string free);

    [LoggerMessage(8, LogLevel.Warning, "The data folder's free space cannot be read; uploads are not refused for space: {Reason}")]
    public static partial void FreeSpaceUnreadable(ILogger logger, string reason);

    [LoggerMessage(9, LogLevel.Warning, "{Method} {Path} answered 503 STORAGE_FULL (request {RequestId}): a write found the disk full: {Reason}")]
    public static partial void WriteFoundDiskFull(ILogger logger, string method, string path, string requestId, string reason);

    [LoggerMessage(10, LogLevel.Warning, "Listening on {Host} over plain HTTP (server.allow_insecure_http): API keys and results travel in clear text unless a proxy in front terminates TLS")]
    public static partial void PlainHttpBeyondLoopback(ILogger logger, string host);

    [LoggerMessage(11, LogLevel.Warning, "Audit entry not recorded: {Action} {Target} by {Key} answered {Result}: {Reason}")]
    public static partial void AuditNotRecorded(ILogger logger, string action, string target, string key, int result, string reason);

    [LoggerMessage(12, LogLevel.Information, "Removed {Count} audit entries older than {Before:u} (storage.audit_retention_days)")]
    public static partial void AuditPruned(ILogger logger, int count, DateTimeOffset before);

    [LoggerMessage(13, LogLevel.Warning, "The audit trail could not be pruned (tried again in an hour): {Reason}")]
    public static partial void AuditPruneFailed(ILogger logger, string reason);

    [LoggerMessage(14, LogLevel.Warning, "Audit entries are arriving faster than the store takes them ({Capacity} waiting); further entries are dropped until it catches up")]
    public static partial void AuditQueueFull(ILogger logger, int capacity);

    [LoggerMessage(15, LogLevel.Warning, "{Count} audit entries were dropped while the store was behind")]
    public static partial void AuditEntriesDropped(ILogger logger, long count);

    [LoggerMessage(16, LogLevel.Information, "Re-analysing every result an older engine made, {Concurrency} at a time, with engine {Engine}")]
    public static partial void ReanalysisStarted(ILogger logger, int concurrency, string engine);

    [LoggerMessage(17, LogLevel.Information, "Re-analysis finished: {Reanalysed} re-analysed, {Current} current already, {NotHeld} with no binary in any region, {Failed} failed")]
    public static partial void ReanalysisFinished(ILogger logger, long reanalysed, long current, long notHeld, long failed);

    [LoggerMessage(18, LogLevel.Error, "Re-analysis stopped: {Reason}")]
    public static partial void ReanalysisJobFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(19, LogLevel.Information, "Re-analysed {Id}: engine {From} -> {To}")]
    public static partial void Reanalysed(ILogger logger, string id, string from, string to);

    [LoggerMessage(20, LogLevel.Information, "{Id} (engine {Engine}) stays stale: no region holds its binary")]
    public static partial void ReanalysisNotHeld(ILogger logger, string id, string engine);

    [LoggerMessage(21, LogLevel.Warning, "Re-analysis of {Id} failed: {Reason}")]
    public static partial void ReanalysisFailed(ILogger logger, string id, string reason, Exception exception);

    [LoggerMessage(22, LogLevel.Debug, "Could not ask the primary, {Primary}, to re-analyse {Id} (asked again on a later read): {Reason}")]
    public static partial void ReanalysisNotAsked(ILogger logger, string id, string primary, string reason);

    [LoggerMessage(23, LogLevel.Warning, "The binary stored here for {Id} does not hash to its id; asking the other regions for it instead")]
    public static partial void ReanalysisBinaryMismatch(ILogger logger, string id);
}
