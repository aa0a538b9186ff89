namespace GhidraInsight.Storage;

/// <summary>
/// One page of <see cref="IReplicationLog.ReadSnapshotAsync"/>: entries shaped like outbox entries (their sequence is only
/// their position in the snapshot) and the opaque position to continue from, null after the last page.
/// </summary>
public sealed record SnapshotPage(IReadOnlyList<OutboxEntry> Entries, string? Next);
