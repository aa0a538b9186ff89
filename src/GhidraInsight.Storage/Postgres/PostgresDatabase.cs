using System.Globalization;
using Npgsql;

namespace GhidraInsight.Storage.Postgres;

/// <summary>
/// The region's view of the PostgreSQL cluster: a multi-host data source that targets the primary, for writes, and one for
/// reads on the region's own database. Every write runs in one transaction that first locks the change feed's head, so writes
/// commit in the order of their change sequence; a write that fails because the primary is changing is run again (each write
/// recognises its own earlier attempt) until <see cref="PostgresStoreOptions.WriteDeadline"/>.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlMultiHostDataSource _cluster;
    private readonly NpgsqlDataSource _primary;
    private readonly NpgsqlDataSource _reads;
    private readonly NpgsqlDataSource? _local;
    private readonly TimeSpan _writeDeadline;
    private volatile bool _initialized;

    public PostgresDatabase(PostgresStoreOptions options)
    {
        Time = options.Time ?? TimeProvider.System;
        _writeDeadline = options.WriteDeadline;
        var settings = Settings(options);
        _cluster = Builder(settings, options.Password).BuildMultiHost();
        _primary = _cluster.WithTargetSession(TargetSessionAttributes.Primary);
        if (options.LocalHost is { } local)
        {
            var localSettings = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Host = local, TargetSessionAttributes = null };
            _local = Builder(localSettings, options.Password).Build();
            _reads = _local;
        }
        else
        {
            _reads = _cluster.WithTargetSession(TargetSessionAttributes.Any);
        }
    }

    public TimeProvider Time { get; }

    /// <summary>
    /// Applies pending migrations on the primary (waiting for one while there is none, up to the write deadline), then waits
    /// until the region's own database (a standby) has the schema too, so the region never reads from a database behind it.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var version = await RetryAsync(() => PostgresMigrations.RunAsync(_primary, PostgresMigrations.All, Time, cancellationToken), cancellationToken, write: true)
            .ConfigureAwait(false);
        var started = Time.GetTimestamp();
        while (await LocalSchemaVersionAsync(cancellationToken).ConfigureAwait(false) < version)
        {
            if (Time.GetElapsedTime(started) > _writeDeadline)
            {
                throw new StoreUnavailableException(string.Create(CultureInfo.InvariantCulture,
                    $"The region's own database has not received schema version {version} from the primary within {_writeDeadline.TotalSeconds:0.#} s; is it replicating?"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), Time, cancellationToken).ConfigureAwait(false);
        }

        _initialized = true;
    }

    /// <summary>The schema version the read database has (0 while it has none, or cannot be reached yet).</summary>
    private async Task<int> LocalSchemaVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _reads.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version;", connection);
                return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }
        }
        catch (Exception exception) when (exception is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidCatalogName }
            || (exception is NpgsqlException && IsPrimaryChange(exception)))
        {
            return 0;
        }
    }

    /// <summary>Runs <paramref name="read"/> on the region's own database, again on a fresh connection when one was cut.</summary>
    public Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        return RetryAsync(async () =>
        {
            var connection = await _reads.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await read(connection).ConfigureAwait(false);
            }
        }, cancellationToken, write: false);
    }

    /// <summary>Runs <paramref name="write"/> in one transaction on the primary, retried while the primary changes.</summary>
    public Task<T> WriteAsync<T>(Func<PostgresWrite, Task<T>> write, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        return RetryAsync(async () =>
        {
            var connection = await _primary.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await using var head = new NpgsqlCommand("SELECT sequence FROM change_head WHERE id = 1 FOR UPDATE;", connection, transaction);
                    var sequence = (long)(await head.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    var context = new PostgresWrite(connection, transaction, Time.GetUtcNow().ToUnixTimeMilliseconds(), sequence);
                    var result = await write(context).ConfigureAwait(false);
                    if (context.Sequence != sequence)
                    {
                        await using var advance = new NpgsqlCommand("UPDATE change_head SET sequence = @sequence WHERE id = 1;", connection, transaction);
                        advance.Parameters.AddWithValue("sequence", context.Sequence);
                        await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
            }
        }, cancellationToken, write: true);
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        var connection = await _reads.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand("SELECT 1 FROM change_head;", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether an error means no primary took the write (the connection broke, the server is shutting down or starting, or the
    /// host just became a standby), so the write may be run again. A refused password or a bad statement is not.
    /// </summary>
    internal static bool IsPrimaryChange(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.DeadlockDetected || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException => true,
        _ => false,
    };

    /// <summary>
    /// Once the store runs, a host without the database is a member Patroni is rebuilding (a replica re-cloned after a failover):
    /// the multi-host data source stops at it while it looks for the primary, so the attempt is made again. At start the same
    /// error means a wrong database name, and is reported at once.
    /// </summary>
    private bool IsRebuilding(Exception exception) => _initialized && exception is PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName };

    private async Task<T> RetryAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken, bool write)
    {
        var started = Time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (Exception exception) when ((IsPrimaryChange(exception) || IsRebuilding(exception)) && !cancellationToken.IsCancellationRequested)
            {
                if (Time.GetElapsedTime(started) + delay > _writeDeadline)
                {
                    var seconds = _writeDeadline.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
                    throw write
                        ? new PrimaryUnavailableException($"No PostgreSQL primary took the write within {seconds} s: {exception.Message}", exception)
                        : new StoreUnavailableException($"The region's PostgreSQL database did not answer within {seconds} s: {exception.Message}", exception);
                }

                // Connections cut by a failover sit idle in the pools; the next attempt must not draw another of them.
                _cluster.Clear();
                _local?.Clear();

                await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
            }
        }
    }

    private static NpgsqlConnectionStringBuilder Settings(PostgresStoreOptions options)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"storage.connection_string is not a valid connection string: {exception.Message}", nameof(options), exception);
        }

        if (!string.IsNullOrEmpty(settings.Password))
        {
            throw new ArgumentException("storage.connection_string must not hold the password; give it in a password file or the environment.", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            throw new ArgumentException("storage.connection_string names no host (Host=db-us:5432,db-eu:5432,…).", nameof(options));
        }

        settings.HostRecheckSeconds = Math.Max(1, (int)Math.Ceiling(options.HostRecheck.TotalSeconds));
        settings.ApplicationName ??= "ghidrainsight";
        // The store keeps no session state on its connections (the migration lock is released explicitly), so a pooled
        // connection needs no DISCARD ALL round trip when it is reused; the few statements it runs are prepared once per
        // connection. An operator's own values in the connection string win.
        if (!settings.ContainsKey("No Reset On Close"))
        {
            settings.NoResetOnClose = true;
        }

        if (!settings.ContainsKey("Max Auto Prepare"))
        {
            settings.MaxAutoPrepare = 32;
        }
        return settings;
    }

    private static NpgsqlDataSourceBuilder Builder(NpgsqlConnectionStringBuilder settings, string? password)
    {
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        if (password is not null)
        {
            builder.ConnectionStringBuilder.Password = password;
        }

        return builder;
    }

    private void ThrowIfNotReady()
    {
        if (!_initialized)
        {
            throw new InvalidOperationException("The store is not initialized; call InitializeAsync first.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_local is not null)
        {
            await _local.DisposeAsync().ConfigureAwait(false);
        }

        await _cluster.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One write transaction: its connection, the time of the write, and the change feed's sequence so far.</summary>
internal sealed class PostgresWrite(NpgsqlConnection connection, NpgsqlTransaction transaction, long nowMs, long sequence)
{
    public long NowMs { get; } = nowMs;

    public long Sequence { get; private set; } = sequence;

    public NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Records the write in the change feed, in this transaction.</summary>
    public async Task AppendChangeAsync(string kind, string key, long epoch, CancellationToken cancellationToken)
    {
        Sequence++;
        await using var command = Command("INSERT INTO changes (sequence, kind, key, epoch, created_at) VALUES (@sequence, @kind, @key, @epoch, @at);",
            ("sequence", Sequence), ("kind", kind), ("key", key), ("epoch", epoch), ("at", NowMs));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
