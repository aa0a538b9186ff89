using System.Globalization;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Failover;
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
        app.MapGet("/api/regions", (MultiRegionManager manager) =>
                Results.Text(ToJson(manager.GetRegionStatus(), manager.Epoch, manager.FailoverHistory).ToJsonString(), "application/json"))
            .WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapGet("/api/regions/best", (MultiRegionManager manager) => Results.Json(new { region = manager.GetBestRegion(), from = manager.CurrentRegion }))
            .WithMetadata(new RequiredRole(ApiRole.Read));
    }

    /// <summary>
    /// One entry per region. The primary's entry has its <c>epoch</c>; every entry lists the failovers that made that region
    /// primary (<c>failovers</c>: at, from, to, epoch, reason), so the whole history is the union, ordered by epoch.
    /// </summary>
    public static JsonObject ToJson(IReadOnlyDictionary<string, RegionStatus> statuses, long epoch, IReadOnlyList<FailoverRecord> history)
    {
        var body = new JsonObject();
        foreach (var (region, status) in statuses)
        {
            var failovers = new JsonArray();
            foreach (var record in history.Where(record => record.To == region))
            {
                failovers.Add(new JsonObject
                {
                    ["at"] = record.At.ToString("O", CultureInfo.InvariantCulture),
                    ["from"] = record.From,
                    ["to"] = record.To,
                    ["epoch"] = record.Epoch,
                    ["reason"] = record.Reason,
                });
            }
            body[region] = new JsonObject
            {
                ["healthy"] = status.Healthy,
                ["latency_ms"] = status.LatencyMs is { } latency ? Math.Round(latency, 3) : null,
                ["last_check"] = status.LastCheck?.ToString("O", CultureInfo.InvariantCulture),
                ["error"] = status.Error,
                ["role"] = status.Role,
                ["lag_ms"] = Math.Round(status.LagMs, 3),
                ["epoch"] = status.Role == RegionStatus.PrimaryRole ? epoch : null,
                ["failovers"] = failovers,
            };
        }
        return body;
    }
}
