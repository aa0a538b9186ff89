using Npgsql;

namespace GhidraInsight.Storage.Postgres;

/// <summary>
/// Reads replication on the region's own database in one round trip: <c>pg_stat_replication</c> when it is the primary, its own
/// replay and WAL receiver when it is a standby (the columns need the <c>pg_monitor</c> role).
/// </summary>
internal sealed class PostgresReplicationStatus(PostgresDatabase database) : IDatabaseReplication
{
    public Task<DatabaseReplicationState> ReadAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, cancellationToken) =>
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new("""
                        SELECT application_name,
                               COALESCE(EXTRACT(EPOCH FROM replay_lag) * 1000, 0)::float8,
                               COALESCE(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::bigint,
                               sync_state IN ('sync', 'quorum')
                        FROM pg_stat_replication
                        WHERE NOT pg_is_in_recovery()
                        """),
                    // Caught up when everything received is replayed while streaming; otherwise the last replayed commit's age (the time
                    // since the standby started when it has replayed none since).
                    new("""
                        SELECT COALESCE(CASE WHEN receiver.streaming AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                                             ELSE EXTRACT(EPOCH FROM clock_timestamp() - COALESCE(pg_last_xact_replay_timestamp(), pg_postmaster_start_time())) * 1000 END, 0)::float8,
                               COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::bigint,
                               receiver.streaming
                        FROM (SELECT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') AS streaming) AS receiver
                        WHERE pg_is_in_recovery()
                        """),
                },
            };
            var standbys = new Dictionary<string, StandbyLag>(StringComparer.Ordinal);
            StandbyReplay? replay = null;
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                standbys[reader.GetString(0)] = new StandbyLag(reader.GetDouble(1), Math.Max(0, reader.GetInt64(2)), reader.GetBoolean(3));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                replay = new StandbyReplay(Math.Max(0, reader.GetDouble(0)), Math.Max(0, reader.GetInt64(1)), reader.GetBoolean(2));
            }

            return new DatabaseReplicationState(standbys, replay);
        }, cancellationToken);
}
