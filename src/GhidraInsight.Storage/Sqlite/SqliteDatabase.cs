using GhidraInsight.Storage.Sqlite.Migrations;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite;

/// <summary>
/// The region's SQLite file, shared by the domain store and the replication log. A connection per operation (pooled);
/// reads run in parallel on WAL snapshots, while writes queue on one in-process lock so they never contend for SQLite's
/// write lock and each write transaction stays short.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly SqliteConnectionFactory _connections;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _initialized;
    private volatile bool _disposed;

    public SqliteDatabase(string dataDirectory, TimeProvider time)
    {
        _connections = new SqliteConnectionFactory(dataDirectory);
        Time = time;
    }

    public TimeProvider Time { get; }

    public string DatabasePath => _connections.DatabasePath;

    /// <summary>Creates the folder and file when missing and applies pending migrations.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await new MigrationRunner(_connections, Time, SchemaMigrations.All).RunAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await read(connection).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="write"/> in one immediate transaction with the current time in Unix milliseconds.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, long, Task<T>> write, CancellationToken cancellationToken)
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
                var result = await write(connection, transaction, Time.GetUtcNow().ToUnixTimeMilliseconds()).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        // Pooled connections keep a deleted file's inode open and would still answer, so check the path itself.
        if (!File.Exists(DatabasePath))
        {
            throw new InvalidOperationException($"The database file '{DatabasePath}' is missing or unreadable.");
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

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException("The analysis store is not initialized; call InitializeAsync first.");
        }
    }
}
