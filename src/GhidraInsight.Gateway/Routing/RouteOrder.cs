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
        ArgumentNullException.ThrowIfNull(regions);
        if (kind == RequestKind.PrimaryOnly)
        {
            var known = RegionTable.Primary(regions).Primary;
            var primaryInRotation = regions.FirstOrDefault(region => region.Healthy && region.Name == known);
            return (primaryInRotation is null ? [] : [primaryInRotation], "primary");
        }

        // Runs on every request: a stable insertion sort of a handful of regions, no LINQ.
        var order = new GatewayRegionSnapshot[regions.Count];
        for (var i = 0; i < order.Length; i++)
        {
            var region = regions[i];
            var at = i;
            while (at > 0 && Before(region, order[at - 1]))
            {
                order[at] = order[at - 1];
                at--;
            }

            order[at] = region;
        }

        var (first, decision) = kind == RequestKind.StrongWrite && RegionTable.Primary(regions).Primary is { } primary
            ? (primary, "primary")
            : (hint, "client_region");
        var chosen = first is null ? -1 : Array.FindIndex(order, region => region.Healthy && region.Name == first);
        if (chosen < 0)
        {
            return (order, "nearest");
        }

        var head = order[chosen];
        Array.Copy(order, 0, order, 1, chosen);
        order[0] = head;
        return (order, decision);
    }

    /// <summary>In rotation before out of it; then the lower smoothed latency (unknown last).</summary>
    private static bool Before(GatewayRegionSnapshot a, GatewayRegionSnapshot b) =>
        a.Healthy != b.Healthy ? a.Healthy : (a.SmoothedLatencyMs ?? double.MaxValue) < (b.SmoothedLatencyMs ?? double.MaxValue);
}
