namespace GhidraInsight.Storage;

/// <summary>An analysis to store. <see cref="ResultJson"/> is the analysis JSON exactly as served.</summary>
public sealed record NewAnalysis(string Id, string EngineVersion, string Format, string Arch, long Size, string ResultJson, ReadOnlyMemory<byte>? Binary);

/// <summary>A stored analysis.</summary>
public sealed record StoredAnalysis(string Id, string EngineVersion, string Format, string Arch, long Size, DateTimeOffset CreatedAt, string ResultJson, bool HasBinary);

/// <summary>One row of the analyses list.</summary>
public sealed record AnalysisSummary(string Id, string Format, string Arch, long Size, DateTimeOffset CreatedAt);

/// <summary>What a user writes at an address.</summary>
public sealed record AnnotationInput(string? Name, string? Comment, IReadOnlyList<string> Tags);

/// <summary>A stored annotation; <see cref="Version"/> starts at 1 and grows by one with each write.</summary>
/// <param name="AnalysisId">The analysis the annotation belongs to.</param>
/// <param name="Address">The annotated address.</param>
/// <param name="Name">The user's name for the address, if any.</param>
/// <param name="Comment">The user's comment, if any.</param>
/// <param name="Tags">The user's tags, in the order written.</param>
/// <param name="Version">The number of writes of this key so far, along its lineage.</param>
/// <param name="Epoch">The primary epoch of the region that made this write.</param>
/// <param name="UpdatedAt">When this write was made.</param>
/// <param name="BaseVersion">
/// The version this key had when the current epoch first wrote it: the last <see cref="Lineage"/> segment's
/// <see cref="LineageSegment.StartsAfterVersion"/>. 0 for a key the epoch created, and for rows written before lineage was
/// tracked.
/// </param>
/// <param name="Lineage">
/// The epoch segments of this annotation's chain, oldest first (see <see cref="Lineage"/>); null or empty for a write from
/// before segments were kept.
/// </param>
public sealed record Annotation(
    string AnalysisId,
    ulong Address,
    string? Name,
    string? Comment,
    IReadOnlyList<string> Tags,
    long Version,
    long Epoch,
    DateTimeOffset UpdatedAt,
    long BaseVersion = 0,
    IReadOnlyList<LineageSegment>? Lineage = null)
{
    /// <summary>
    /// The epoch segments of this annotation's chain, oldest first: an older write (epoch, version) is its history exactly when
    /// a segment of that epoch covers that version; any other write of the key lost to it. Never empty: a write from before
    /// segments were kept reads as the single segment (<see cref="Epoch"/>, <see cref="BaseVersion"/>). At most 64 segments
    /// are kept; writes of epochs older than the first are not history.
    /// </summary>
    public IReadOnlyList<LineageSegment> Lineage { get; init; } =
        Lineage is { Count: > 0 } ? Lineage : [new LineageSegment(Epoch, BaseVersion)];
}

/// <summary>Outcome of <see cref="IAnalysisStore.PutAnnotationAsync"/>.</summary>
public enum AnnotationWriteStatus
{
    Created,
    Updated,
    AnalysisNotFound,
    VersionConflict,
}

/// <summary>The outcome and, except for <see cref="AnnotationWriteStatus.AnalysisNotFound"/>, the annotation now stored.</summary>
public sealed record AnnotationWrite(AnnotationWriteStatus Status, Annotation? Current);

/// <summary>
/// One replicated change. <see cref="Kind"/> is <c>analysis.stored</c>, <c>annotation.put</c> or <c>analysis.deleted</c>;
/// <see cref="Payload"/> is JSON enough to apply it elsewhere.
/// </summary>
public sealed record OutboxEntry(long Sequence, string Kind, string Key, string Payload, long Epoch, DateTimeOffset CreatedAt);

/// <summary>A write refused because a binary exceeds the configured limit.</summary>
public sealed class BinaryTooLargeException(long size, long limit) : Exception($"binary is {size} bytes; the storage limit is {limit} bytes")
{
    public long Size { get; } = size;
    public long Limit { get; } = limit;
}

/// <summary>Outcome of <see cref="IAnalysisStore.ApplyReplicatedAsync"/>: the new high-water mark and the analysis ids whose cached state changed.</summary>
public sealed record ReplicationApply(long HighWaterMark, int Applied, IReadOnlyList<string> ChangedAnalysisIds);

/// <summary>What is waiting to be delivered to one target: count, and the creation time of the oldest entry (null when none).</summary>
public sealed record ReplicationBacklog(long Pending, DateTimeOffset? OldestCreatedAt);

/// <summary>
/// A replicated write that lost and was kept rather than dropped. <see cref="Kind"/> is <c>annotation</c>: after a failover the
/// annotation <see cref="Lost"/> (complete, as it was acknowledged) was overwritten by, or arrived after, a write of epoch
/// <see cref="WonEpoch"/> and version <see cref="WonVersion"/> that does not descend from it. <see cref="ReportedBy"/> is the
/// origin region of the replicated entry whose application detected it.
/// </summary>
public sealed record ConflictRecord(long Id, string Kind, string AnalysisId, ulong Address, Annotation Lost, long WonEpoch, long WonVersion, string ReportedBy, DateTimeOffset RecordedAt);
