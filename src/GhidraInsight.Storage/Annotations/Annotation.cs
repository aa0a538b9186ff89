namespace GhidraInsight.Storage;

/// <summary>A stored annotation; <see cref="Version"/> starts at 1 and grows by one with each write.</summary>
/// <param name="AnalysisId">The analysis the annotation belongs to.</param>
/// <param name="Address">The annotated address.</param>
/// <param name="Name">The user's name for the address, if any.</param>
/// <param name="Comment">The user's comment, if any.</param>
/// <param name="Tags">The user's tags, in the order written.</param>
/// <param name="Version">The number of writes of this key so far, along its lineage.</param>
/// <param name="Epoch">The primary epoch that admitted this write.</param>
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
