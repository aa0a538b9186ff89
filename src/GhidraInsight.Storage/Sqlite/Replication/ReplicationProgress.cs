using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Replication;

/// <summary>
/// Where replication stands: per origin, the highest sequence applied here (high-water mark); per target, the highest
/// local sequence it acknowledged (cursor); and what the local outbox still holds beyond a cursor (backlog).
/// </summary>
internal static class ReplicationProgress
{
    public static Task<long> GetHighWaterMarkAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string origin,
        CancellationToken cancellationToken = default) =>
        ReadSequenceAsync(connection, transaction, "SELECT sequence FROM replication_high_water WHERE origin = $name;", origin, cancellationToken);

    public static Task SetHighWaterMarkAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string origin,
        long sequence,
        CancellationToken cancellationToken = default) =>
        RaiseAsync(connection, transaction, "replication_high_water", "origin", origin, sequence, cancellationToken);

    public static Task<long> GetCursorAsync(SqliteConnection connection, string target, CancellationToken cancellationToken = default) =>
        ReadSequenceAsync(connection, null, "SELECT sequence FROM replication_cursors WHERE target = $name;", target, cancellationToken);

    /// <summary>Acknowledgements can arrive out of order (retries, parallel pushes): the cursor only moves forward.</summary>
    public static Task RaiseCursorAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string target,
        long sequence,
        CancellationToken cancellationToken = default) =>
        RaiseAsync(connection, transaction, "replication_cursors", "target", target, sequence, cancellationToken);

    /// <summary>
    /// Both parts are range scans on the outbox's INTEGER PRIMARY KEY (the rowid), so the cost is the pending count
    /// for the count and one row for the oldest time, never the whole outbox.
    /// </summary>
    public static async Task<ReplicationBacklog> GetBacklogAsync(SqliteConnection connection, long afterSequence, CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(null, """
            SELECT COUNT(*),
                   (SELECT created_at FROM outbox WHERE seq > $after ORDER BY seq LIMIT 1)
            FROM outbox
            WHERE seq > $after;
            """,
            ("$after", afterSequence));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var pending = reader.GetInt64(0);
        DateTimeOffset? oldest = reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        return new ReplicationBacklog(pending, oldest);
    }

    private static async Task<long> ReadSequenceAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string sql,
        string name,
        CancellationToken cancellationToken)
    {
        using var command = connection.Command(transaction, sql,
            ("$name", name));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long sequence ? sequence : 0;
    }

    // table and column are compile-time constants of this class, never input.
    private static async Task RaiseAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string table,
        string column,
        string name,
        long sequence,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO {table} ({column}, sequence) VALUES ($name, $sequence)
            ON CONFLICT ({column}) DO UPDATE SET sequence = excluded.sequence
            WHERE excluded.sequence > {table}.sequence;
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$sequence", sequence);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
