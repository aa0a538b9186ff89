using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Regions.Health;

/// <summary>
/// <c>GET /api/regions</c>: the operator's view, <c>get_region_status()</c>; <c>GET /api/regions/best</c>: <c>get_best_region()</c>,
/// the healthy region with the lowest smoothed latency as this region sees it (itself when no other is healthy).
/// </summary>
internal static class RegionStatusEndpoints
{
    public static void MapRegionStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/regions", async (HttpRequest request, MultiRegionManager manager, CancellationToken cancellationToken) =>
            {
                // ?fresh=true probes every region now (check_all_regions) instead of answering what the monitor last saw.
                if (string.Equals(request.Query["fresh"], "true", StringComparison.OrdinalIgnoreCase))
                {
                    await manager.CheckAllRegionsAsync(cancellationToken);
                }
                return Results.Json(StatusMap(manager), ContractsJsonContext.Default.RegionStatusMap);
            })
            .WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<RegionStatusMap>();
        app.MapGet("/api/regions/best", (MultiRegionManager manager) =>
                Results.Json(new BestRegion(manager.GetBestRegion(), manager.CurrentRegion), ContractsJsonContext.Default.BestRegion))
            .WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<BestRegion>();
    }

    /// <summary>
    /// One entry per region. The primary's entry has its <c>epoch</c>; every entry lists the failovers that made that region
    /// primary, so the whole history is the union, ordered by epoch.
    /// </summary>
    public static RegionStatusMap StatusMap(MultiRegionManager manager)
    {
        var history = manager.FailoverHistory;
        var map = new RegionStatusMap();
        foreach (var (region, status) in manager.GetRegionStatus())
        {
            map[region] = new RegionStatusEntry(
                status.Healthy,
                status.LatencyMs is { } latency ? Math.Round(latency, 3) : null,
                status.LastCheck,
                status.Error,
                status.Role,
                Math.Round(status.LagMs, 3),
                status.Role == RegionStatus.PrimaryRole ? manager.Epoch : null,
                [.. history.Where(record => record.To == region).Select(record => record.ToEvent())]);
        }

        return map;
    }
}
