using Npgsql;

namespace GhidraInsight.Storage.Postgres;

/// <summary>The <c>changes</c> table, read from the region's own database (a standby has it as soon as it has the data).</summary>
internal sealed class PostgresChangeFeed(PostgresDatabase database) : IChangeFeed
{
    public Task<IReadOnlyList<StoreChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<StoreChange>>(async (connection, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand("SELECT sequence, kind, key, epoch, created_at FROM changes WHERE sequence > @after ORDER BY sequence LIMIT @limit;",
                connection);
            command.Parameters.AddWithValue("after", afterSequence);
            command.Parameters.AddWithValue("limit", Math.Clamp(limit, 1, PostgresAnalysisStore.MaxPageSize));
            var changes = new List<StoreChange>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                changes.Add(new StoreChange(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
            }

            return changes;
        }, cancellationToken);

    public Task<long> GetLastChangeSequenceAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand("SELECT sequence FROM change_head WHERE id = 1;", connection);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
}
