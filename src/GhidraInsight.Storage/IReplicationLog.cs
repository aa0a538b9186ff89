namespace GhidraInsight.Storage;

/// <summary>
/// The replication side of a region's store: its ordered outbox (entries appended by <see cref="IAnalysisStore"/> writes),
/// durable delivery cursors per target, high-water marks per origin, the idempotent application of other regions' entries,
/// a snapshot of the whole state for a region that must be resynced, and the conflict records application leaves behind.
/// </summary>
public interface IReplicationLog
{
    /// <summary>Outbox entries with a sequence above <paramref name="afterSequence"/>, in order (pruned ones are gone).</summary>
    Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The highest sequence ever appended to the outbox (0 when none), even if the entry has since been pruned. Sequences are
    /// gapless in commit order, so a reader can tell entries that were pruned from entries never written.
    /// </summary>
    Task<long> GetLastOutboxSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes outbox entries up to <paramref name="throughSequence"/>, at most <paramref name="maxEntries"/> of them, in one
    /// short transaction; returns how many were removed. Callers prune in batches so writers never wait long.
    /// </summary>
    Task<int> PruneOutboxAsync(long throughSequence, int maxEntries, CancellationToken cancellationToken = default);

    /// <summary>Entries after <paramref name="afterSequence"/> still held: how many, and when the oldest was written.</summary>
    Task<ReplicationBacklog> GetBacklogAsync(long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>The highest local outbox sequence <paramref name="targetRegion"/> has acknowledged (0 when none). Durable.</summary>
    Task<long> GetReplicationCursorAsync(string targetRegion, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="targetRegion"/>'s acknowledgement; never moves the cursor backwards.</summary>
    Task SetReplicationCursorAsync(string targetRegion, long sequence, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence of <paramref name="originRegion"/> applied here (0 when none).</summary>
    Task<long> GetHighWaterMarkAsync(string originRegion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies entries replicated from <paramref name="originRegion"/>'s outbox, idempotently and in one transaction: entries at or
    /// below the origin's high-water mark are skipped, the rest applied in sequence order, and the mark advanced to the last one.
    /// Applied entries are not appended to this store's outbox (each region replicates only its own writes).
    /// Rules: <c>analysis.stored</c> inserts unless present or a newer deletion tombstone exists; <c>analysis.deleted</c> deletes
    /// and leaves a tombstone; <c>annotation.put</c> follows lineage (<see cref="Annotation.Lineage"/>: a write is in another's
    /// history when a segment of its epoch in the other's chain covers its version), comparing the incoming write with the
    /// stored one:
    /// <list type="bullet">
    /// <item>nothing stored: stores it;</item>
    /// <item>same epoch: one chain; a higher version replaces the stored one, a lower or equal one (history, duplicate) is ignored;</item>
    /// <item>older epoch: when it is in the stored write's history the newer chain continued from it and it is ignored;
    /// otherwise it was acknowledged but lost to the newer epoch, so it is recorded as a conflict (lost = incoming) and the
    /// stored annotation stays;</item>
    /// <item>newer epoch: it replaces the stored annotation; when the stored write is not in its history (the newer chain did
    /// not continue from it) the stored annotation is first recorded as a conflict (lost = stored).</item>
    /// </list>
    /// A write of an epoch older than a capped lineage's first segment, or compared with a write from before segments were
    /// kept (read as the single segment (epoch, base version)), is not history: such a case is reported, never hidden.
    /// A conflict is recorded once per losing write (see <see cref="ListConflictsAsync"/>) and counts as applied only when the
    /// annotation itself changed.
    /// </summary>
    /// <returns>The origin's high-water mark after the call, and the keys changed (for cache invalidation).</returns>
    Task<ReplicationApply> ApplyReplicatedAsync(string originRegion, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of this region's whole state as replication entries (analyses, then annotations, then deletion tombstones),
    /// for a region whose catch-up needs entries already pruned. <paramref name="after"/> is the previous page's
    /// <see cref="SnapshotPage.Next"/> (null: the first page).
    /// </summary>
    Task<SnapshotPage> ReadSnapshotAsync(string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies snapshot entries from <paramref name="originRegion"/> with the rules of <see cref="ApplyReplicatedAsync"/>, ignoring
    /// sequences; with <paramref name="completesThrough"/> (the origin's outbox head when its snapshot began) the origin's
    /// high-water mark is raised to it, so streaming resumes after the snapshot.
    /// </summary>
    Task<ReplicationApply> ApplySnapshotAsync(string originRegion, IReadOnlyList<OutboxEntry> entries, long? completesThrough,
        CancellationToken cancellationToken = default);

    /// <summary>Conflict records ordered by id, starting after <paramref name="after"/> (stable paging; null = from the first).</summary>
    Task<IReadOnlyList<ConflictRecord>> ListConflictsAsync(int limit, long? after = null, CancellationToken cancellationToken = default);

    /// <summary>How many conflict records this store holds.</summary>
    Task<long> CountConflictsAsync(CancellationToken cancellationToken = default);
}
