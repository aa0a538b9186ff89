namespace GhidraInsight.Storage.Sqlite.Annotations;

/// <summary>
/// The lineage rules: how a local write extends its key's chain, and whether one write is in another's history. Versions
/// alone cannot tell: after several failovers two epochs can hold the same version of a key, and only the epoch segments
/// say which of them a chain continued from.
/// </summary>
internal static class AnnotationLineage
{
    /// <summary>
    /// Segments kept per annotation. Dropping the oldest can only make an old write look lost (reported as a conflict),
    /// never make a lost write look like history.
    /// </summary>
    public const int MaxSegments = 64;

    /// <summary>
    /// The lineage of a local write at <paramref name="epoch"/> over <paramref name="current"/>: the same chain while the epoch
    /// keeps writing the key; otherwise the current chain plus a segment of this epoch starting after the current version
    /// (a new key starts with (epoch, 0)).
    /// </summary>
    public static IReadOnlyList<LineageSegment> Next(Annotation? current, long epoch)
    {
        if (current is null)
        {
            return [new LineageSegment(epoch, 0)];
        }

        if (current.Epoch == epoch)
        {
            return current.Lineage;
        }

        return Capped([.. current.Lineage, new LineageSegment(epoch, current.Version)]);
    }

    /// <summary>The newest <see cref="MaxSegments"/> segments, oldest first.</summary>
    public static IReadOnlyList<LineageSegment> Capped(IReadOnlyList<LineageSegment> segments) =>
        segments.Count <= MaxSegments ? segments : [.. segments.Skip(segments.Count - MaxSegments)];

    /// <summary>
    /// Whether <paramref name="write"/> is in <paramref name="annotation"/>'s history: some segment of the write's epoch covers
    /// its version (above the segment's start, up to the next segment's start or, for the last one, the annotation's version).
    /// A write of an epoch without a segment, including one older than a capped lineage's first, is not.
    /// </summary>
    public static bool Includes(Annotation annotation, Annotation write)
    {
        var segments = annotation.Lineage;
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i].Epoch != write.Epoch)
            {
                continue;
            }

            var end = i == segments.Count - 1 ? annotation.Version : segments[i + 1].StartsAfterVersion;
            if (segments[i].StartsAfterVersion < write.Version && write.Version <= end)
            {
                return true;
            }
        }

        return false;
    }
}
