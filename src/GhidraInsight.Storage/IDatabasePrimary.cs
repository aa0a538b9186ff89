namespace GhidraInsight.Storage;

/// <summary>
/// Where the primary database is, as the cluster manager says (PostgreSQL mode: Patroni's leader). Writes go straight to it
/// instead of probing every listed host for the primary, so a host that hangs (a frozen machine) costs nothing once the cluster
/// manager has moved the leader away from it; writes in progress on the old primary are given up on at once and run again on
/// the new one.
/// </summary>
public interface IDatabasePrimary
{
    /// <summary>
    /// The primary database is at <paramref name="host"/>:<paramref name="port"/>; null when none leads now. An address that is
    /// not one of the store's configured hosts is not used (writes then look for the primary among those hosts).
    /// </summary>
    void Use(string? host, int port);
}
