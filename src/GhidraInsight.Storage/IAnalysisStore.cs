namespace GhidraInsight.Storage;

/// <summary>
/// The durable state of one region: analyses (keyed by SHA-256), raw binaries, annotations and the ordered
/// replication outbox. Every write appends its outbox entry in the same transaction as the data.
/// Implementations are safe for concurrent use.
/// </summary>
public interface IAnalysisStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema (versioned migrations). Call once before anything else.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores an analysis and, when given, its binary. Returns false (and writes nothing) when the id is already stored.</summary>
    Task<bool> SaveAnalysisAsync(NewAnalysis analysis, CancellationToken cancellationToken = default);

    Task<StoredAnalysis?> GetAnalysisAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Analyses ordered by id, starting after <paramref name="after"/> (stable paging).</summary>
    Task<IReadOnlyList<AnalysisSummary>> ListAnalysesAsync(int limit, string? after, CancellationToken cancellationToken = default);

    /// <summary>Deletes an analysis with its binary and annotations. Returns false when it was not stored.</summary>
    Task<bool> DeleteAnalysisAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The raw binary, or null when this store does not hold it.</summary>
    Task<byte[]?> GetBinaryAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Annotation>> GetAnnotationsAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The annotation at one address (a primary-key lookup), or null.</summary>
    Task<Annotation?> GetAnnotationAsync(string id, ulong address, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces the annotation at an address. With <paramref name="expectedVersion"/> the write succeeds only when
    /// the stored version equals it (0 = must not exist yet); otherwise it is unconditional.
    /// </summary>
    Task<AnnotationWrite> PutAnnotationAsync(string id, ulong address, AnnotationInput input, long? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Outbox entries with a sequence number above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The highest sequence ever appended to this store's outbox (0 when none), even if the entry has since been pruned.
    /// A single-row lookup, cheap enough to call on every request.
    /// </summary>
    Task<long> GetLastOutboxSequenceAsync(CancellationToken cancellationToken = default);

    Task<long> CountAnalysesAsync(CancellationToken cancellationToken = default);

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

    /// <summary>Conflict records ordered by id, starting after <paramref name="after"/> (stable paging; null = from the first).</summary>
    Task<IReadOnlyList<ConflictRecord>> ListConflictsAsync(int limit, long? after = null, CancellationToken cancellationToken = default);

    /// <summary>How many conflict records this store holds.</summary>
    Task<long> CountConflictsAsync(CancellationToken cancellationToken = default);

    /// <summary>The highest sequence of <paramref name="originRegion"/> applied here (0 when none).</summary>
    Task<long> GetHighWaterMarkAsync(string originRegion, CancellationToken cancellationToken = default);

    /// <summary>The highest local outbox sequence <paramref name="targetRegion"/> has acknowledged (0 when none). Durable.</summary>
    Task<long> GetReplicationCursorAsync(string targetRegion, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="targetRegion"/>'s acknowledgement; never moves the cursor backwards.</summary>
    Task SetReplicationCursorAsync(string targetRegion, long sequence, CancellationToken cancellationToken = default);

    /// <summary>Entries after <paramref name="afterSequence"/> still to deliver: how many, and when the oldest was written.</summary>
    Task<ReplicationBacklog> GetBacklogAsync(long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>Throws when the store cannot serve (file gone, disk full, database locked beyond its timeout).</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken = default);
}
