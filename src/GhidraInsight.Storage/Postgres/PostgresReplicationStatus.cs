using Npgsql;

namespace GhidraInsight.Storage.Postgres;

/// <summary>Reads <c>pg_stat_replication</c> on the region's own database (the columns need the <c>pg_monitor</c> role).</summary>
internal sealed class PostgresReplicationStatus(PostgresDatabase database) : IDatabaseReplication
{
    public Task<IReadOnlyDictionary<string, StandbyLag>> StandbysAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyDictionary<string, StandbyLag>>(async connection =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT application_name,
                       COALESCE(EXTRACT(EPOCH FROM replay_lag) * 1000, 0)::float8,
                       COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint,
                       sync_state IN ('sync', 'quorum')
                FROM pg_stat_replication
                WHERE NOT pg_is_in_recovery();
                """, connection);
            var standbys = new Dictionary<string, StandbyLag>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                standbys[reader.GetString(0)] = new StandbyLag(reader.GetDouble(1), Math.Max(0, reader.GetInt64(2)), reader.GetBoolean(3));
            }

            return standbys;
        }, cancellationToken);
}
