namespace GhidraInsight.Regions.Failover;

/// <summary>The signed internal API of failover.</summary>
public static class FailoverPaths
{
    /// <summary><c>GET</c>: a region's <see cref="GhidraInsight.Http.Contracts.FailoverStatus"/>.</summary>
    public const string Status = "/api/internal/failover/status";

    /// <summary><c>POST</c> a <see cref="GhidraInsight.Http.Contracts.SwitchoverRequest"/>: a switchover relayed to the Raft leader.</summary>
    public const string Switchover = "/api/internal/failover";
}
