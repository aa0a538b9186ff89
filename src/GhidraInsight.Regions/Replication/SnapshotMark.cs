namespace GhidraInsight.Regions.Replication;

/// <summary>
/// Marks a <see cref="ReplicationBatch"/> as a page of a full resync: <see cref="Through"/> is the origin's outbox head when the
/// snapshot began; the <see cref="Complete"/> (last) page raises the receiver's high-water mark for the origin to it.
/// </summary>
public sealed record SnapshotMark(long Through, bool Complete);
