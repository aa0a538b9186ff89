using GhidraInsight.Storage.Sqlite.Conflicts;
using GhidraInsight.Storage.Sqlite.Outbox;
using GhidraInsight.Storage.Sqlite.Replication;

namespace GhidraInsight.Storage.Sqlite;

/// <summary>The replication log on the region's SQLite file (shared with <see cref="SqliteAnalysisStore"/>).</summary>
internal sealed class SqliteReplicationLog(SqliteDatabase database) : IReplicationLog
{
    private const int MaxPageSize = SqliteAnalysisStore.MaxPageSize;

    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => OutboxReader.ReadAsync(connection, afterSequence, Math.Clamp(limit, 1, MaxPageSize), cancellationToken), cancellationToken);

    public Task<long> GetLastOutboxSequenceAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => OutboxReader.LastSequenceAsync(connection, cancellationToken), cancellationToken);

    public Task<int> PruneOutboxAsync(long throughSequence, int maxEntries, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        return throughSequence <= 0
            ? Task.FromResult(0)
            : database.WriteAsync((connection, transaction, _) => OutboxWriter.PruneAsync(connection, transaction, throughSequence, maxEntries, cancellationToken),
                cancellationToken);
    }

    public Task<ReplicationBacklog> GetBacklogAsync(long afterSequence, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => ReplicationProgress.GetBacklogAsync(connection, afterSequence, cancellationToken), cancellationToken);

    public Task<long> GetReplicationCursorAsync(string targetRegion, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => ReplicationProgress.GetCursorAsync(connection, targetRegion, cancellationToken), cancellationToken);

    public Task SetReplicationCursorAsync(string targetRegion, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetRegion);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        return database.WriteAsync(async (connection, transaction, _) =>
        {
            await ReplicationProgress.RaiseCursorAsync(connection, transaction, targetRegion, sequence, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<long> GetHighWaterMarkAsync(string originRegion, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => ReplicationProgress.GetHighWaterMarkAsync(connection, null, originRegion, cancellationToken), cancellationToken);

    public Task<ReplicationApply> ApplyReplicatedAsync(string originRegion, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(originRegion);
        ArgumentNullException.ThrowIfNull(entries);
        return database.WriteAsync(
            (connection, transaction, nowMs) => ReplicationApplier.ApplyAsync(connection, transaction, originRegion, entries, nowMs, cancellationToken),
            cancellationToken);
    }

    public Task<SnapshotPage> ReadSnapshotAsync(string? after, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => SnapshotReader.ReadAsync(connection, after, Math.Clamp(limit, 1, MaxPageSize), cancellationToken), cancellationToken);

    public Task<ReplicationApply> ApplySnapshotAsync(string originRegion, IReadOnlyList<OutboxEntry> entries, long? completesThrough,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(originRegion);
        ArgumentNullException.ThrowIfNull(entries);
        return database.WriteAsync(
            (connection, transaction, nowMs) => ReplicationApplier.ApplySnapshotAsync(connection, transaction, originRegion, entries, completesThrough, nowMs, cancellationToken),
            cancellationToken);
    }

    public Task<IReadOnlyList<ConflictRecord>> ListConflictsAsync(int limit, long? after = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => ConflictReader.ListAsync(connection, Math.Clamp(limit, 1, MaxPageSize), after, cancellationToken), cancellationToken);

    public Task<long> CountConflictsAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => ConflictReader.CountAsync(connection, cancellationToken), cancellationToken);
}
