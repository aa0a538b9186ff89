using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Replication;

/// <summary>One outbox entry on the wire. <see cref="Payload"/> is the entry's JSON text, carried as a string so it arrives byte for byte.</summary>
/// <param name="Sequence">Position in the origin's outbox.</param>
/// <param name="Kind">One of <see cref="OutboxKinds"/>.</param>
/// <param name="Key">What changed (analysis id, or <c>id/0xaddress</c>).</param>
/// <param name="Payload">JSON text enough to apply the change.</param>
/// <param name="Epoch">The primary's epoch when written.</param>
/// <param name="CreatedAt">Unix milliseconds.</param>
public sealed record ReplicationEntry(long Sequence, string Kind, string Key, string Payload, long Epoch, long CreatedAt)
{
    /// <summary>The wire form of a stored outbox entry.</summary>
    public static ReplicationEntry From(OutboxEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Sequence, entry.Kind, entry.Key, entry.Payload, entry.Epoch, entry.CreatedAt.ToUnixTimeMilliseconds());
    }

    /// <summary>The outbox entry this carries.</summary>
    public OutboxEntry ToOutboxEntry() => new(Sequence, Kind, Key, Payload, Epoch, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
}
