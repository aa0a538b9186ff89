using GhidraInsight.Gateway.Destinations;

namespace GhidraInsight.Gateway.Routing;

/// <summary>
/// The regions a request is tried on, in order, and why the first was chosen: the nearest healthy regions (lowest smoothed
/// latency, then configuration order); a healthy region the client named (<c>X-Client-Region</c>) first; the primary first for
/// strong writes; the primary alone for <see cref="RequestKind.PrimaryOnly"/> (nothing while it is out of rotation). Regions out
/// of rotation come last, as a last resort.
/// </summary>
internal static class RouteOrder
{
    /// <summary>The header by which a client names the region it prefers.</summary>
    public const string ClientRegionHeader = "X-Client-Region";

    public static (IReadOnlyList<GatewayRegionSnapshot> Order, string Decision) For(RequestKind kind, string? hint, IReadOnlyList<GatewayRegionSnapshot> regions)
    {
        var healthy = regions.Select((region, index) => (Region: region, Index: index))
            .Where(candidate => candidate.Region.Healthy)
            .OrderBy(candidate => candidate.Region.SmoothedLatencyMs ?? double.MaxValue)
            .ThenBy(candidate => candidate.Index)
            .Select(candidate => candidate.Region)
            .ToList();
        var outOfRotation = regions.Where(region => !region.Healthy).OrderBy(region => region.SmoothedLatencyMs ?? double.MaxValue);
        var decision = "nearest";
        string? first = null;
        if (kind == RequestKind.PrimaryOnly)
        {
            var known = RegionTable.Primary(regions).Primary;
            return ([.. healthy.Where(region => region.Name == known)], "primary");
        }

        if (kind == RequestKind.StrongWrite && RegionTable.Primary(regions).Primary is { } primary)
        {
            first = primary;
            decision = "primary";
        }
        else if (hint is not null && healthy.Any(region => region.Name == hint))
        {
            first = hint;
            decision = "client_region";
        }

        var order = healthy.OrderBy(region => region.Name == first ? 0 : 1).Concat(outOfRotation).ToList();
        return (order, decision);
    }
}
