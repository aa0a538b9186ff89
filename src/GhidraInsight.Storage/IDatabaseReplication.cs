namespace GhidraInsight.Storage;

/// <summary>
/// Replication as the database does it (PostgreSQL mode): how far each standby is behind this region's database when it is
/// the primary, from <c>pg_stat_replication</c>. Standbys are named by their <c>application_name</c>, which Patroni sets to its
/// member name (the region name).
/// </summary>
public interface IDatabaseReplication
{
    /// <summary>Each standby streaming from this region's database; empty when it is a standby itself.</summary>
    Task<IReadOnlyDictionary<string, StandbyLag>> StandbysAsync(CancellationToken cancellationToken = default);
}

/// <summary>One standby's distance from the primary.</summary>
/// <param name="ReplayLagMs">Time from a commit on the primary to its replay on the standby (<c>replay_lag</c>; 0 when idle).</param>
/// <param name="BytesBehind">WAL the standby has not replayed yet.</param>
/// <param name="Synchronous">Whether commits wait for it (<c>sync_state</c> sync or quorum).</param>
public sealed record StandbyLag(double ReplayLagMs, long BytesBehind, bool Synchronous);
