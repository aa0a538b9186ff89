using System.Globalization;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Regions;
using GhidraInsight.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Server.Regions;

/// <summary>
/// <c>GET /api/regions</c>: the operator's view, <c>get_region_status()</c>; <c>GET /api/regions/best</c>: <c>get_best_region()</c>,
/// the healthy region with the lowest smoothed latency as this region sees it (itself when no other is healthy).
/// </summary>
internal static class RegionStatusEndpoints
{
    public static void MapRegionStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/regions", (MultiRegionManager manager) => Results.Text(ToJson(manager.GetRegionStatus()).ToJsonString(), "application/json"))
            .WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapGet("/api/regions/best", (MultiRegionManager manager) => Results.Json(new { region = manager.GetBestRegion(), from = manager.CurrentRegion }))
            .WithMetadata(new RequiredRole(ApiRole.Read));
    }

    public static JsonObject ToJson(IReadOnlyDictionary<string, RegionStatus> statuses)
    {
        var body = new JsonObject();
        foreach (var (region, status) in statuses)
        {
            body[region] = new JsonObject
            {
                ["healthy"] = status.Healthy,
                ["latency_ms"] = status.LatencyMs is { } latency ? Math.Round(latency, 3) : null,
                ["last_check"] = status.LastCheck?.ToString("O", CultureInfo.InvariantCulture),
                ["error"] = status.Error,
                ["role"] = status.Role,
                ["lag_ms"] = Math.Round(status.LagMs, 3),
            };
        }
        return body;
    }
}
