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
}
