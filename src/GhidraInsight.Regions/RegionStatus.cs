namespace GhidraInsight.Regions;

/// <summary>One entry of <c>GET /api/regions</c> (<c>get_region_status()</c>).</summary>
/// <param name="Healthy">For the current region always true; for others, up by the health monitor's hysteresis.</param>
/// <param name="LatencyMs">Last probe latency (0 for the current region; null before the first successful probe).</param>
/// <param name="LastCheck">When the region was last probed (now for the current region).</param>
/// <param name="Error">The last probe error, if the last probe failed.</param>
/// <param name="Role"><c>primary</c>, <c>replica</c> or <c>witness</c>, as of the last change of primary this region applied.</param>
/// <param name="LagMs">Age of the oldest entry of this region's outbox not yet acknowledged by that region (0 when none or not a target).</param>
public sealed record RegionStatus(bool Healthy, double? LatencyMs, DateTimeOffset? LastCheck, string? Error, string Role, double LagMs)
{
    /// <summary>The <c>role</c> of the primary region.</summary>
    public const string PrimaryRole = "primary";

    /// <summary>The <c>role</c> of every other region.</summary>
    public const string ReplicaRole = "replica";

    /// <summary>The <c>role</c> of the witness: it votes on who is primary and holds no data.</summary>
    public const string WitnessRole = "witness";
}
