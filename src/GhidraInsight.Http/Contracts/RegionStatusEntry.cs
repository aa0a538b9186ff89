namespace GhidraInsight.Http.Contracts;

/// <summary>One region in <c>GET /api/regions</c> (the guide's <c>get_region_status()</c>), as the answering region sees it.</summary>
/// <param name="Healthy">Up by the peer monitor's rules (always true for the answering region itself).</param>
/// <param name="LatencyMs">Latency of the last successful probe; null before the first (0 for the answering region).</param>
/// <param name="LastCheck">When the region was last probed.</param>
/// <param name="Error">The last probe's error, if it failed.</param>
/// <param name="Role"><c>primary</c>, <c>replica</c> or <c>witness</c>.</param>
/// <param name="LagMs">Age of the oldest write of the answering region that this region has not acknowledged.</param>
/// <param name="Epoch">The primary's epoch, on the primary's entry only.</param>
/// <param name="Failovers">The changes of primary that made this region primary, oldest first.</param>
public sealed record RegionStatusEntry(
    bool Healthy,
    double? LatencyMs,
    DateTimeOffset? LastCheck,
    string? Error,
    string Role,
    double LagMs,
    long? Epoch,
    IReadOnlyList<FailoverEvent> Failovers);
