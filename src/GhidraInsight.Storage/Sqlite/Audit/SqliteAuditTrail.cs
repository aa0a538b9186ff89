using GhidraInsight.Storage.Sqlite.Outbox;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Audit;

/// <summary>The audit trail in the region's SQLite file; each entry and its outbox entry commit together, so it replicates.</summary>
internal sealed class SqliteAuditTrail(SqliteDatabase database) : IAuditTrail
{
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return database.WriteAsync(async (connection, transaction, nowMs) =>
        {
            if (await InsertAsync(connection, transaction, entry, cancellationToken).ConfigureAwait(false))
            {
                // Epoch 0: an audit entry is history, never fenced or ordered against another write.
                await OutboxWriter.AppendAsync(connection, transaction, OutboxKinds.AuditRecorded, entry.Id, AuditRows.ToJson(entry), 0, nowMs, cancellationToken)
                    .ConfigureAwait(false);
            }
            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, string? after = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<AuditEntry>>(async connection =>
        {
            using var command = connection.Command(null, after is null
                    ? $"SELECT {AuditRows.Columns} FROM audit ORDER BY id LIMIT $limit;"
                    : $"SELECT {AuditRows.Columns} FROM audit WHERE id > $after ORDER BY id LIMIT $limit;",
                ("$after", after), ("$limit", Math.Clamp(limit, 1, SqliteAnalysisStore.MaxPageSize)));
            var page = new List<AuditEntry>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                page.Add(AuditRows.Read(reader));
            }
            return page;
        }, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset before, int maxEntries, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction, _) =>
        {
            using var command = connection.Command(transaction, "DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < $before ORDER BY id LIMIT $max);",
                ("$before", before.ToUnixTimeMilliseconds()), ("$max", Math.Max(1, maxEntries)));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Inserts the entry unless its id is there (a redelivered replication batch); inside the caller's transaction.</summary>
    internal static async Task<bool> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        using var command = connection.Command(transaction, """
            INSERT OR IGNORE INTO audit (id, at, region, key_name, action, target, result)
            VALUES ($id, $at, $region, $key, $action, $target, $result);
            """,
            ("$id", entry.Id), ("$at", entry.At.ToUnixTimeMilliseconds()), ("$region", entry.Region), ("$key", entry.KeyName), ("$action", entry.Action),
            ("$target", entry.Target), ("$result", entry.Result));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
