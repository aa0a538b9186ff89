using System.Text.Json.Serialization;
using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// The body of <c>POST /api/replicate</c>: <c>{"origin": REGION, "entries": [{"sequence","kind","key","payload","epoch","created_at"}]}</c>,
/// entries in ascending sequence order. The answer is a <see cref="ReplicationAck"/>. A page of a resync carries
/// <see cref="Snapshot"/>: its entries are the origin's state (numbered within the page), applied with the same rules.
/// </summary>
public sealed record ReplicationBatch(
    string Origin,
    IReadOnlyList<ReplicationEntry> Entries,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SnapshotMark? Snapshot = null)
{
    /// <summary>Most entries one batch carries.</summary>
    public const int MaxEntries = 500;

    /// <summary>A batch of stored outbox entries from <paramref name="origin"/>.</summary>
    public static ReplicationBatch From(string origin, IReadOnlyList<OutboxEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new(origin, entries.Select(ReplicationEntry.From).ToArray());
    }

    /// <summary>Why this batch cannot be applied as coming from <paramref name="verifiedOrigin"/>, or null when it can.</summary>
    public string? Validate(string verifiedOrigin)
    {
        if (Origin != verifiedOrigin)
        {
            return $"origin '{Origin}' does not match the signing region '{verifiedOrigin}'";
        }

        if (Snapshot is { Through: < 0 })
        {
            return "snapshot.through must not be negative";
        }

        if (Entries is null || Entries.Count > MaxEntries)
        {
            return $"entries must be a list of at most {MaxEntries}";
        }

        long previous = 0;
        foreach (var entry in Entries)
        {
            if (entry is null || entry.Sequence <= previous)
            {
                return "entries must have strictly ascending positive sequences";
            }

            if (entry.Kind is not (OutboxKinds.AnalysisStored or OutboxKinds.AnnotationPut or OutboxKinds.AnalysisDeleted or OutboxKinds.AuditRecorded))
            {
                return $"entry {entry.Sequence} has unknown kind '{entry.Kind}'";
            }

            if (string.IsNullOrEmpty(entry.Key) || entry.Payload is null)
            {
                return $"entry {entry.Sequence} lacks a key or payload";
            }

            previous = entry.Sequence;
        }

        return null;
    }
}
