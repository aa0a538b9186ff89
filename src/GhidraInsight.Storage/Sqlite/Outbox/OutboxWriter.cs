using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Outbox;

/// <summary>
/// Appends an outbox entry inside the caller's write transaction, so the change and its entry commit or roll back
/// together. AUTOINCREMENT plus the single writer make sequence numbers strictly increasing and gapless in commit order.
/// </summary>
internal static class OutboxWriter
{
    public static async Task<long> AppendAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string kind,
        string key,
        string payload,
        long epoch,
        long createdAtMs,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, """
            INSERT INTO outbox (kind, key, payload, epoch, created_at)
            VALUES ($kind, $key, $payload, $epoch, $createdAt)
            RETURNING seq;
            """,
            ("$kind", kind),
            ("$key", key),
            ("$payload", payload),
            ("$epoch", epoch),
            ("$createdAt", createdAtMs));
        var sequence = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return (long)sequence!;
    }

    /// <summary>
    /// Deletes the oldest entries up to <paramref name="throughSequence"/>, at most <paramref name="maxEntries"/>: a range delete
    /// on the rowid. AUTOINCREMENT keeps the highest sequence in <c>sqlite_sequence</c>, so sequences are never reused.
    /// </summary>
    public static async Task<int> PruneAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long throughSequence,
        int maxEntries,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, """
            DELETE FROM outbox
            WHERE seq <= $through
              AND seq <= (SELECT MIN(seq) FROM outbox) + $max - 1;
            """,
            ("$through", throughSequence),
            ("$max", maxEntries));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
