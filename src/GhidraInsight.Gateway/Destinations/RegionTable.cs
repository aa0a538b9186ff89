using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Gateway.Destinations;

/// <summary>
/// Every region behind the gateway, in configuration order (the regions' own <c>region.regions</c> and <c>region.endpoints</c>),
/// and who is primary: the region named by the report of the highest epoch any region gave (a region that lags behind a
/// failover still reports the old primary, with its older epoch).
/// </summary>
internal sealed class RegionTable
{
    private readonly IReadOnlyList<GatewayRegion> _regions;

    public RegionTable(RegionOptions region)
    {
        ArgumentNullException.ThrowIfNull(region);
        _regions = [.. region.Regions.Where(region.Endpoints.ContainsKey).Select(name => new GatewayRegion(name, region.Endpoints[name]))];
        if (_regions.Count == 0)
        {
            throw new ConfigurationException(["region.regions, region.endpoints: the gateway needs at least one region with an endpoint (give it the same config.yaml a region reads)"]);
        }
    }

    public IReadOnlyList<GatewayRegion> Regions => _regions;

    public GatewayRegion? Find(string name) => _regions.FirstOrDefault(r => r.Name == name);

    public IReadOnlyList<GatewayRegionSnapshot> Snapshot() => [.. _regions.Select(r => r.Snapshot())];

    /// <summary>The primary and its epoch as the newest report says; (null, 0) before any region named one.</summary>
    public (string? Primary, long Epoch) Primary() => Primary(Snapshot());

    public static (string? Primary, long Epoch) Primary(IReadOnlyList<GatewayRegionSnapshot> snapshots)
    {
        var newest = snapshots.Where(s => s.Primary is not null).OrderByDescending(s => s.Epoch).ThenByDescending(s => s.AcceptingStrongWrites).FirstOrDefault();
        return (newest?.Primary, newest?.Epoch ?? 0);
    }

    /// <summary>The lag of every serving region's replication to each target, as they last reported, keyed <c>from→to</c>.</summary>
    public IReadOnlyDictionary<string, double> ReplicationLags() =>
        Snapshot().Where(region => region.Healthy)
            .SelectMany(region => region.Replication.Select(target => (Link: LagSample.Link(region.Name, target.Key), target.Value.LagMs)))
            .ToDictionary(link => link.Link, link => link.LagMs, StringComparer.Ordinal);
}
