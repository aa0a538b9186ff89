namespace GhidraInsight.Storage.Postgres;

/// <summary>
/// The audit trail in PostgreSQL: written on the primary like any write (retried to the write deadline, then 503), read from the
/// region's own database; streaming replication carries it to every region.
/// </summary>
internal sealed class PostgresAuditTrail(PostgresDatabase database) : IAuditTrail
{
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return database.WriteAsync(async (write, cancellationToken) =>
        {
            await using var command = write.Command("""
                INSERT INTO audit (id, at, region, key_name, action, target, result) VALUES (@id, @at, @region, @key, @action, @target, @result)
                ON CONFLICT (id) DO NOTHING;
                """,
                ("id", entry.Id), ("at", entry.At.ToUnixTimeMilliseconds()), ("region", entry.Region), ("key", entry.KeyName), ("action", entry.Action),
                ("target", entry.Target), ("result", entry.Result));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, string? after = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<AuditEntry>>(async (connection, cancellationToken) =>
        {
            await using var command = PostgresAnalysisStore.Command(connection, after is null
                    ? $"SELECT {AuditRows.Columns} FROM audit ORDER BY id LIMIT @limit;"
                    : $"SELECT {AuditRows.Columns} FROM audit WHERE id > @after ORDER BY id LIMIT @limit;",
                ("after", after), ("limit", Math.Clamp(limit, 1, PostgresAnalysisStore.MaxPageSize)));
            var page = new List<AuditEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                page.Add(AuditRows.Read(reader));
            }
            return page;
        }, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset before, int maxEntries, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (write, cancellationToken) =>
        {
            await using var command = write.Command("DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < @before ORDER BY id LIMIT @max);",
                ("before", before.ToUnixTimeMilliseconds()), ("max", Math.Max(1, maxEntries)));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
}
