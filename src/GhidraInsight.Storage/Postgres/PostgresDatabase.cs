using System.Globalization;
using Npgsql;

namespace GhidraInsight.Storage.Postgres;

/// <summary>
/// The region's view of the PostgreSQL cluster: a multi-host data source that targets the primary, for writes, and one for
/// reads on the region's own database. Every write runs in one transaction that first locks the change feed's head, so writes
/// commit in the order of their change sequence; a write that fails because the primary is changing is run again (each write
/// recognises its own earlier attempt) until <see cref="PostgresStoreOptions.WriteDeadline"/>. Writes go to the primary the
/// cluster manager names (<see cref="Use"/>), else to the one the last search of the listed hosts found, and search again only
/// when that one refuses: a listed host that hangs (a frozen machine, a partition that drops packets) costs one connect
/// timeout per search, not one per write.
/// </summary>
internal sealed class PostgresDatabase : IDatabasePrimary, IAsyncDisposable
{
    private readonly NpgsqlMultiHostDataSource _cluster;
    private readonly NpgsqlDataSource _primary;
    private readonly NpgsqlDataSource _reads;
    private readonly NpgsqlDataSource? _local;
    private readonly TimeSpan _writeDeadline;
    private readonly TimeSpan _attemptLimit;
    private readonly NpgsqlConnectionStringBuilder _settings;
    private readonly string? _password;
    private readonly HashSet<(string Host, int Port)> _hosts;
    private readonly Dictionary<(string Host, int Port), NpgsqlMultiHostDataSource> _direct = [];
    private volatile PrimaryHint? _hint;
    private volatile PrimaryHint? _found;
    private volatile bool _initialized;

    public PostgresDatabase(PostgresStoreOptions options)
    {
        Time = options.Time ?? TimeProvider.System;
        _writeDeadline = options.WriteDeadline;
        var settings = Settings(options);
        // What Npgsql allows one statement: connecting (Timeout), the command (Command Timeout; 0 is none), and the cancellation
        // request it sends when that runs out (Cancellation Timeout), with a second's margin.
        _attemptLimit = settings.CommandTimeout <= 0
            ? Timeout.InfiniteTimeSpan
            : TimeSpan.FromSeconds(settings.Timeout + settings.CommandTimeout + 1) + TimeSpan.FromMilliseconds(Math.Max(0, settings.CancellationTimeout));
        _settings = settings;
        _password = options.Password;
        _hosts = Hosts(settings);
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
        var version = await RetryAsync((primary, attempt) => PostgresMigrations.RunAsync(primary, PostgresMigrations.All, Time, attempt), cancellationToken, write: true,
                bounded: false)
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

    /// <summary>
    /// Runs <paramref name="read"/> on the region's own database, again on a fresh connection when one was cut; it gets a token
    /// that ends at the deadline.
    /// </summary>
    public Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        return RetryAsync(async (reads, attempt) =>
        {
            var connection = await reads.OpenConnectionAsync(attempt).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await read(connection, attempt).ConfigureAwait(false);
            }
        }, cancellationToken, write: false);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction on the primary, retried while the primary changes; it gets a token that
    /// ends at the deadline.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<PostgresWrite, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        return RetryAsync(async (primary, cancellationToken) =>
        {
            var connection = await primary.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await using var head = new NpgsqlCommand("SELECT sequence FROM change_head WHERE id = 1 FOR UPDATE;", connection, transaction);
                    var sequence = (long)(await head.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                    var context = new PostgresWrite(connection, transaction, Time.GetUtcNow().ToUnixTimeMilliseconds(), sequence);
                    var result = await write(context, cancellationToken).ConfigureAwait(false);
                    if (context.Sequence != sequence)
                    {
                        await using var advance = new NpgsqlCommand("UPDATE change_head SET sequence = @sequence WHERE id = 1;", connection, transaction);
                        advance.Parameters.AddWithValue("sequence", context.Sequence);
                        await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    if (ReferenceEquals(primary, _primary))
                    {
                        Found(connection.Host, connection.Port);
                    }

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

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds, again while the primary changes, all within the deadline: a database
    /// that hangs (a frozen machine) is given up on when the deadline ends the attempt's token, as one that keeps failing is.
    /// A write runs on the primary named by <see cref="Use"/> when there is one (else, and once the named one refused, on
    /// whichever listed host is the primary); when that name changes, an attempt still running on the old one is given up on
    /// and run again on the new one.
    /// </summary>
    /// <remarks>
    /// One attempt of a read or write (<paramref name="bounded"/>; migrations run several statements and are not) is also given up
    /// on, and made again, once it has run as long as Npgsql's own timeouts allow for one statement (connect, command, cancellation
    /// request): on a frozen host those did not always end it (CI saw an attempt hang until the 90 s deadline), and a write
    /// given up on finds itself when run again.
    /// </remarks>
    private async Task<T> RetryAsync<T>(Func<NpgsqlDataSource, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken, bool write,
        bool bounded = true)
    {
        using var deadline = new CancellationTokenSource(_writeDeadline, Time);
        using var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var delay = TimeSpan.FromMilliseconds(50);
        var failed = new List<PrimaryHint>(2);
        while (true)
        {
            // A named primary that refused the attempt (down, or no longer primary) is not tried again until the name changes,
            // nor the one a search found: meanwhile the listed hosts are searched, as without either.
            var hint = write ? Preferred(failed) : null;
            using var limit = bounded && _attemptLimit != Timeout.InfiniteTimeSpan ? new CancellationTokenSource(_attemptLimit, Time) : null;
            using var moved = CancellationTokenSource.CreateLinkedTokenSource(token.Token, hint?.Moved.Token ?? CancellationToken.None, limit?.Token ?? CancellationToken.None);
            var attemptToken = moved.Token;
            var running = attempt(hint?.Source ?? (write ? _primary : _reads), attemptToken);
            try
            {
                // Npgsql does not give up on a host that accepts connections and never answers before its own timeouts (15 s to
                // connect, 30 s per command), whatever the token says: the answer does not wait for them. What is left running
                // ends at those timeouts; a write it commits meanwhile was not acknowledged, as with any write cut off.
                return await running.WaitAsync(attemptToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                Abandon(running);
                throw Unavailable(write, exception is OperationCanceledException ? "it did not answer" : exception.Message, exception);
            }
            catch (Exception) when (limit?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
            {
                // Ran past what Npgsql's timeouts allow (its host hangs): given up on, and the host it ran on is not tried again.
                Abandon(running);
                Refused(hint, failed);
            }
            catch (Exception) when (hint is not null && hint.Moved.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The primary moved while this attempt ran on the old one: at once on the new one (the write finds itself there
                // if the old one committed it and replicated it first).
                Abandon(running);
            }
            catch (Exception exception) when ((IsPrimaryChange(exception) || IsRebuilding(exception)) && !cancellationToken.IsCancellationRequested)
            {
                Refused(hint, failed);
                try
                {
                    await Task.Delay(delay, Time, token.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw Unavailable(write, exception.Message, exception);
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
            }
        }
    }

    /// <inheritdoc />
    public void Use(string? host, int port)
    {
        lock (_direct)
        {
            var current = _hint;
            (string Host, int Port)? address = host is null ? null : (host.ToLowerInvariant(), port);
            if (current?.Address == address || (address is { } listed && !_hosts.Contains(listed) && current is null))
            {
                return;
            }

            _hint = address is { } named && _hosts.Contains(named) ? new PrimaryHint(named, Direct(named)) : null;
            current?.Moved.Cancel();
        }
    }

    /// <summary>The named primary unless it refused this write; else the primary the last search found unless it refused.</summary>
    private PrimaryHint? Preferred(List<PrimaryHint> failed) =>
        _hint is { } named && !failed.Contains(named) ? named
        : _found is { } found && !failed.Contains(found) ? found
        : null;

    /// <summary>Remembers the host a write searched for and committed on, so the next writes go there directly.</summary>
    private void Found(string? host, int port)
    {
        var address = (host?.ToLowerInvariant() ?? "", port);
        if (_found?.Address != address && _hosts.Contains(address))
        {
            lock (_direct)
            {
                _found = new PrimaryHint(address, Direct(address));
            }
        }
    }

    /// <summary>
    /// After an attempt that failed or hung: the host it was sent to is not tried again for this write, nor for later ones when a
    /// search had found it (a named primary stays until the name changes); connections cut by a failover sit idle in the pools,
    /// and the next attempt must not draw another of them.
    /// </summary>
    private void Refused(PrimaryHint? hint, List<PrimaryHint> failed)
    {
        if (hint is not null)
        {
            failed.Add(hint);
            lock (_direct)
            {
                if (ReferenceEquals(_found, hint))
                {
                    _found = null;
                }
            }
        }

        ClearPools();
    }

    /// <summary>A data source for one listed host (made once per host; call under the <c>_direct</c> lock).</summary>
    private NpgsqlDataSource Direct((string Host, int Port) address)
    {
        if (!_direct.TryGetValue(address, out var direct))
        {
            var settings = new NpgsqlConnectionStringBuilder(_settings.ConnectionString) { Host = address.Host, Port = address.Port };
            _direct[address] = direct = Builder(settings, _password).BuildMultiHost();
        }

        return direct.WithTargetSession(TargetSessionAttributes.Primary);
    }

    /// <summary>Lets an attempt given up on finish unobserved (its failure is expected: its host hangs or lost the primary).</summary>
    private static void Abandon(Task running) =>
        _ = running.ContinueWith(static abandoned => abandoned.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void ClearPools()
    {
        _cluster.Clear();
        _local?.Clear();
        lock (_direct)
        {
            foreach (var direct in _direct.Values)
            {
                direct.Clear();
            }
        }
    }

    /// <summary>The hosts the connection string lists, with their ports (the connection string's <c>Port</c> when a host names none).</summary>
    private static HashSet<(string Host, int Port)> Hosts(NpgsqlConnectionStringBuilder settings)
    {
        var hosts = new HashSet<(string Host, int Port)>();
        foreach (var entry in settings.Host!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            var bracket = entry.LastIndexOf(']');
            hosts.Add(colon > bracket && int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                ? (entry[..colon].Trim('[', ']').ToLowerInvariant(), port)
                : (entry.Trim('[', ']').ToLowerInvariant(), settings.Port));
        }

        return hosts;
    }

    /// <summary>What a write (no primary took it) or a read (the region's database did not answer) meets at the deadline.</summary>
    private Exception Unavailable(bool write, string why, Exception exception)
    {
        var seconds = _writeDeadline.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        return write
            ? new PrimaryUnavailableException($"No PostgreSQL primary took the write within {seconds} s: {why}", exception)
            : new StoreUnavailableException($"The region's PostgreSQL database did not answer within {seconds} s: {why}", exception);
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

        foreach (var direct in _direct.Values)
        {
            await direct.DisposeAsync().ConfigureAwait(false);
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

/// <summary>The primary as the cluster manager names it: a data source for just that host, and a token cancelled when it moves.</summary>
internal sealed class PrimaryHint((string Host, int Port) address, NpgsqlDataSource source)
{
    public (string Host, int Port) Address { get; } = address;

    public NpgsqlDataSource Source { get; } = source;

    public CancellationTokenSource Moved { get; } = new();
}
