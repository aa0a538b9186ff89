using System.Globalization;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Regions;
using GhidraInsight.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Server.Regions;

/// <summary><c>GET /api/regions</c>: the operator's view, <c>get_region_status()</c>.</summary>
internal static class RegionStatusEndpoints
{
    public static void MapRegionStatus(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/regions", (MultiRegionManager manager) => Results.Text(ToJson(manager.GetRegionStatus()).ToJsonString(), "application/json"))
            .WithMetadata(new RequiredRole(ApiRole.Read));

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
