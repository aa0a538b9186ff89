namespace GhidraInsight.Storage.Postgres;

/// <summary>
/// Our replication log as PostgreSQL mode has it: empty. The database streams every write to the other regions' standbys, so
/// this region has no outbox to ship, nothing to acknowledge and nothing to apply; a batch sent to it is refused.
/// </summary>
internal sealed class PostgresReplicationLog : IReplicationLog
{
    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OutboxEntry>>([]);

    public Task<long> GetLastOutboxSequenceAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task<int> PruneOutboxAsync(long throughSequence, int maxEntries, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<ReplicationBacklog> GetBacklogAsync(long afterSequence, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ReplicationBacklog(0, null));

    public Task<long> GetReplicationCursorAsync(string targetRegion, CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task SetReplicationCursorAsync(string targetRegion, long sequence, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<long> GetHighWaterMarkAsync(string originRegion, CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task<ReplicationApply> ApplyReplicatedAsync(string originRegion, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken = default) =>
        throw Refused();

    public Task<SnapshotPage> ReadSnapshotAsync(string? after, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult(new SnapshotPage([], null));

    public Task<ReplicationApply> ApplySnapshotAsync(string originRegion, IReadOnlyList<OutboxEntry> entries, long? completesThrough,
        CancellationToken cancellationToken = default) => throw Refused();

    public Task<IReadOnlyList<ConflictRecord>> ListConflictsAsync(int limit, long? after = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ConflictRecord>>([]);

    public Task<long> CountConflictsAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);

    private static InvalidOperationException Refused() =>
        new("This region stores its data in PostgreSQL, which replicates it; replicated batches are not applied here.");
}
