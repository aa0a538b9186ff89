namespace GhidraInsight.Storage;

/// <summary>
/// Outcome of applying replicated entries: the origin's high-water mark afterwards, how many entries changed something,
/// and the analysis ids whose cached state changed (for cache invalidation).
/// </summary>
public sealed record ReplicationApply(long HighWaterMark, int Applied, IReadOnlyList<string> ChangedAnalysisIds);
