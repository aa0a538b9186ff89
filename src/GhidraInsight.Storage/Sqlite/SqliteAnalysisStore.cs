using GhidraInsight.Storage.Sqlite.Analyses;
using GhidraInsight.Storage.Sqlite.Annotations;
using GhidraInsight.Storage.Sqlite.Conflicts;
using GhidraInsight.Storage.Sqlite.Migrations;
using GhidraInsight.Storage.Sqlite.Outbox;
using GhidraInsight.Storage.Sqlite.Replication;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite;

/// <summary>
/// The region's store in one SQLite file. A connection per operation (pooled); reads run in parallel on WAL
/// snapshots, while writes queue on one in-process lock so they never contend for SQLite's write lock.
/// </summary>
internal sealed class SqliteAnalysisStore : IAnalysisStore
{
    private const int MaxPageSize = 1000;

    private readonly SqliteConnectionFactory _connections;
    private readonly long _maxBinaryBytes;
    private readonly TimeProvider _time;
    private readonly Func<long> _currentEpoch;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _initialized;
    private volatile bool _disposed;

    public SqliteAnalysisStore(string dataDirectory, long maxBinaryBytes, TimeProvider time, Func<long> currentEpoch)
    {
        _connections = new SqliteConnectionFactory(dataDirectory);
        _maxBinaryBytes = maxBinaryBytes;
        _time = time;
        _currentEpoch = currentEpoch;
    }

    public string DatabasePath => _connections.DatabasePath;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await new MigrationRunner(_connections, _time, SchemaMigrations.All).RunAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task<bool> SaveAnalysisAsync(NewAnalysis analysis, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.Binary is { Length: var length } && length > _maxBinaryBytes)
        {
            throw new BinaryTooLargeException(length, _maxBinaryBytes);
        }

        return WriteAsync(async (connection, transaction, nowMs) =>
        {
            if (!await AnalysisWriter.InsertAsync(connection, transaction, analysis, nowMs, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await Tombstones.RemoveAsync(connection, transaction, analysis.Id, cancellationToken).ConfigureAwait(false);
            var payload = OutboxPayloads.AnalysisStored(analysis, nowMs);
            await OutboxWriter.AppendAsync(connection, transaction, OutboxKinds.AnalysisStored, analysis.Id, payload, _currentEpoch(), nowMs, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<StoredAnalysis?> GetAnalysisAsync(string id, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => AnalysisReader.GetAsync(connection, id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AnalysisSummary>> ListAnalysesAsync(int limit, string? after, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => AnalysisReader.ListAsync(connection, Math.Clamp(limit, 1, MaxPageSize), after, cancellationToken), cancellationToken);

    public Task<bool> DeleteAnalysisAsync(string id, CancellationToken cancellationToken = default) =>
        WriteAsync(async (connection, transaction, nowMs) =>
        {
            if (!await AnalysisWriter.DeleteAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var epoch = _currentEpoch();
            await Tombstones.RecordAsync(connection, transaction, id, nowMs, epoch, cancellationToken).ConfigureAwait(false);
            var payload = OutboxPayloads.AnalysisDeleted(id, nowMs);
            await OutboxWriter.AppendAsync(connection, transaction, OutboxKinds.AnalysisDeleted, id, payload, epoch, nowMs, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<byte[]?> GetBinaryAsync(string id, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => AnalysisReader.GetBinaryAsync(connection, id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Annotation>> GetAnnotationsAsync(string id, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => AnnotationReader.ListAsync(connection, id, cancellationToken), cancellationToken);

    public Task<Annotation?> GetAnnotationAsync(string id, ulong address, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => AnnotationReader.FindAsync(connection, null, id, address, cancellationToken), cancellationToken);

    public Task<AnnotationWrite> PutAnnotationAsync(string id, ulong address, AnnotationInput input, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (expectedVersion is { } expected)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(expected, nameof(expectedVersion));
        }

        return WriteAsync(
            (connection, transaction, nowMs) => AnnotationWriter.PutAsync(connection, transaction, id, address, input, expectedVersion, _currentEpoch(), nowMs, cancellationToken),
            cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => OutboxReader.ReadAsync(connection, afterSequence, Math.Clamp(limit, 1, MaxPageSize), cancellationToken), cancellationToken);

    public Task<long> GetLastOutboxSequenceAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(connection => OutboxReader.LastSequenceAsync(connection, cancellationToken), cancellationToken);

    public Task<long> CountAnalysesAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(connection => AnalysisReader.CountAsync(connection, cancellationToken), cancellationToken);

    public Task<ReplicationApply> ApplyReplicatedAsync(string originRegion, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(originRegion);
        ArgumentNullException.ThrowIfNull(entries);
        return WriteAsync(
            (connection, transaction, nowMs) => ReplicationApplier.ApplyAsync(connection, transaction, originRegion, entries, nowMs, cancellationToken),
            cancellationToken);
    }

    public Task<IReadOnlyList<ConflictRecord>> ListConflictsAsync(int limit, long? after = null, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => ConflictReader.ListAsync(connection, Math.Clamp(limit, 1, MaxPageSize), after, cancellationToken), cancellationToken);

    public Task<long> CountConflictsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(connection => ConflictReader.CountAsync(connection, cancellationToken), cancellationToken);

    public Task<long> GetHighWaterMarkAsync(string originRegion, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => ReplicationProgress.GetHighWaterMarkAsync(connection, null, originRegion, cancellationToken), cancellationToken);

    public Task<long> GetReplicationCursorAsync(string targetRegion, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => ReplicationProgress.GetCursorAsync(connection, targetRegion, cancellationToken), cancellationToken);

    public Task SetReplicationCursorAsync(string targetRegion, long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetRegion);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        return WriteAsync(async (connection, transaction, _) =>
        {
            await ReplicationProgress.RaiseCursorAsync(connection, transaction, targetRegion, sequence, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<ReplicationBacklog> GetBacklogAsync(long afterSequence, CancellationToken cancellationToken = default) =>
        ReadAsync(connection => ReplicationProgress.GetBacklogAsync(connection, afterSequence, cancellationToken), cancellationToken);

    public async Task CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        // Pooled connections keep a deleted file's inode open and would still answer, so check the path itself.
        if (!File.Exists(_connections.DatabasePath))
        {
            throw new InvalidOperationException($"The database file '{_connections.DatabasePath}' is missing or unreadable.");
        }

        await ReadAsync(async connection =>
        {
            using var command = connection.Command(null, "SELECT 1;");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Let an in-flight write commit, then release the file (closing the last connection checkpoints the WAL).
        await _writeLock.WaitAsync().ConfigureAwait(false);
        _connections.ClearPools();
        _writeLock.Release();
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await read(connection).ConfigureAwait(false);
        }
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, long, Task<T>> write, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = await write(connection, transaction, _time.GetUtcNow().ToUnixTimeMilliseconds()).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException("The analysis store is not initialized; call InitializeAsync first.");
        }
    }
}
