namespace GhidraInsight.Storage;

/// <summary>
/// Replication as the database does it (PostgreSQL mode): where this region's database stands. On the primary, how far each
/// standby is behind, from <c>pg_stat_replication</c>; standbys are named by their <c>application_name</c>, which Patroni sets
/// to its member name (the region name). On a standby, how far its own replay is behind, from
/// <c>pg_last_xact_replay_timestamp()</c>.
/// </summary>
public interface IDatabaseReplication
{
    /// <summary>The standbys streaming from this region's database, or this standby's own replay.</summary>
    Task<DatabaseReplicationState> ReadAsync(CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IDatabaseReplication.ReadAsync"/> found.</summary>
/// <param name="Standbys">Each standby streaming from this database; empty when it is a standby itself.</param>
/// <param name="Replay">This database's own replay when it is a standby; null on the primary.</param>
public sealed record DatabaseReplicationState(IReadOnlyDictionary<string, StandbyLag> Standbys, StandbyReplay? Replay);

/// <summary>One standby's distance from the primary, as the primary sees it.</summary>
/// <param name="ReplayLagMs">Time from a commit on the primary to its replay on the standby (<c>replay_lag</c>; 0 when idle).</param>
/// <param name="BytesBehind">WAL the standby has not replayed yet.</param>
/// <param name="Synchronous">Whether commits wait for it (<c>sync_state</c> sync or quorum).</param>
public sealed record StandbyLag(double ReplayLagMs, long BytesBehind, bool Synchronous);

/// <summary>A standby's distance from the primary, as it sees it itself.</summary>
/// <param name="LagMs">
/// 0 when it streams and has replayed all it received; otherwise the age of the last transaction it replayed (the primary's
/// commit time of it), which is how stale what it serves may be; the time since it started when it has replayed none since.
/// </param>
/// <param name="BytesBehind">WAL received but not replayed yet.</param>
/// <param name="Streaming">Whether its WAL receiver streams from the primary now.</param>
public sealed record StandbyReplay(double LagMs, long BytesBehind, bool Streaming);
