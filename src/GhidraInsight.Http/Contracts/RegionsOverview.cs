namespace GhidraInsight.Http.Contracts;

/// <summary>
/// <c>GET /api/overview</c>: what the dashboard's regions view shows, from where it is served. The gateway answers with every region
/// as its probes see it; a region answers with its own view (its peers as its monitor sees them, its own replication).
/// </summary>
/// <param name="ServedBy"><c>gateway</c>, or the region that answered.</param>
/// <param name="At">When this view was taken.</param>
/// <param name="ProbeIntervalMs">How often the regions are probed: a region's death shows within about this long.</param>
/// <param name="Primary">The primary the newest report names; null before one is known.</param>
/// <param name="Epoch">That primary's epoch.</param>
/// <param name="Regions">Every region, in configuration order.</param>
/// <param name="LagHistory">Replication lag over the last minutes, one sample per probe round (or second), oldest first.</param>
public sealed record RegionsOverview(
    string ServedBy,
    DateTimeOffset At,
    double ProbeIntervalMs,
    string? Primary,
    long Epoch,
    IReadOnlyList<RegionOverview> Regions,
    IReadOnlyList<LagSample> LagHistory);
