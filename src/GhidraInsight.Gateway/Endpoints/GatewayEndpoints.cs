using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Destinations;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace GhidraInsight.Gateway.Endpoints;

/// <summary>
/// The gateway's own endpoints: <c>/health</c> (healthy while a region serves; which), <c>/health/live</c>, <c>/api/regions</c>
/// (its view of every region, in the regions' own contract, so <c>ghidrainsight regions --url GATEWAY</c> works), <c>/metrics</c>.
/// Everything else is forwarded to a region.
/// </summary>
internal static class GatewayEndpoints
{
    public static void MapGatewayEndpoints(this IEndpointRouteBuilder app, CollectorRegistry registry)
    {
        app.MapGet("/health/live", () => Results.Json(LiveReport.Alive, ContractsJsonContext.Default.LiveReport));
        app.MapGet("/health", (RegionTable table) =>
        {
            var regions = table.Snapshot();
            var serving = regions.Where(r => r.Healthy).Select(r => r.Name).ToList();
            var (primary, epoch) = RegionTable.Primary(regions);
            var report = new GatewayHealth(serving.Count > 0 ? HealthReport.Healthy : HealthReport.Unhealthy, serving, primary, epoch,
                regions.Where(r => !r.Healthy).ToDictionary(r => r.Name, r => r.WhyOut ?? "out", StringComparer.Ordinal));
            return Results.Json(report, ContractsJsonContext.Default.GatewayHealth,
                statusCode: serving.Count > 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/api/regions", (RegionTable table) => Results.Json(StatusMap(table.Snapshot()), ContractsJsonContext.Default.RegionStatusMap))
            .WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapMetrics("/metrics", registry).WithMetadata(new RequiredRole(ApiRole.Read));
    }

    /// <summary>
    /// Each region as the gateway sees it: in rotation or not (and why), latency, the role it reported, the lag of the primary's
    /// replication towards it, and the epoch on the primary's entry.
    /// </summary>
    public static RegionStatusMap StatusMap(IReadOnlyList<GatewayRegionSnapshot> regions)
    {
        var (primary, epoch) = RegionTable.Primary(regions);
        var lags = regions.FirstOrDefault(r => r.Name == primary)?.ReplicationLagMs ?? new Dictionary<string, double>();
        var map = new RegionStatusMap();
        foreach (var region in regions)
        {
            // A region that lags behind a failover may still call itself primary; the newest report decides.
            var role = region.Name == primary ? "primary" : region.Role is null or "primary" ? "replica" : region.Role;
            map[region.Name] = new RegionStatusEntry(region.Healthy, region.LatencyMs is { } ms ? Math.Round(ms, 3) : null, region.LastCheck, region.WhyOut, role,
                Math.Round(lags.GetValueOrDefault(region.Name), 3), region.Name == primary ? epoch : null, []);
        }

        return map;
    }
}
