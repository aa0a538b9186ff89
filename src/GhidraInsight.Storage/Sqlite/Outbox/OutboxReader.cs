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

    /// <summary>
    /// The highest sequence ever appended (0 when none). AUTOINCREMENT keeps it in <c>sqlite_sequence</c>, one row per table,
    /// so it survives pruning and costs one tiny lookup rather than a scan.
    /// </summary>
    public static async Task<long> LastSequenceAsync(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(null, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox';");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long sequence ? sequence : 0;
    }
}
