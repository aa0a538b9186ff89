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
}
