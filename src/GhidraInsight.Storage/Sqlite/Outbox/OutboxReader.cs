using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Outbox;

/// <summary>Reads outbox entries in sequence order.</summary>
internal static class OutboxReader
{
    public static async Task<IReadOnlyList<OutboxEntry>> ReadAsync(
        SqliteConnection connection,
        long afterSequence,
        int limit,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(null, """
            SELECT seq, kind, key, payload, epoch, created_at
            FROM outbox
            WHERE seq > $after
            ORDER BY seq
            LIMIT $limit;
            """,
            ("$after", afterSequence),
            ("$limit", limit));
        var entries = new List<OutboxEntry>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new OutboxEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetInt64(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        return entries;
    }
}
