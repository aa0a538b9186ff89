using System.Diagnostics;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Server.Analyses;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Server.Health;

/// <summary>
/// <c>/health</c>: whether this region can serve (its store answers), how long that took, its role and replication.
/// <c>/health/live</c>: the process runs. Both are public: load balancers call them.
/// </summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Json(new { status = "alive" }));
        app.MapGet("/health", CheckAsync);
    }

    private static async Task<IResult> CheckAsync(HttpContext context, IAnalysisStore store, AnalysisQueue queue, GhidraOptions options, MultiRegionManager manager, ReplicationService replication, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var replicationNode = new JsonObject();
        string status;
        string? error = null;
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            // Healthy but saturated: every analysis slot and queue place is taken.
            status = queue.Depth >= options.Server.AnalysisConcurrency + options.Server.AnalysisQueueLimit ? "degraded" : "healthy";
            foreach (var (target, state) in await replication.StatusAsync(cancellationToken))
            {
                replicationNode[target] = new JsonObject { ["lag_ms"] = Math.Round(state.LagMs, 3), ["pending"] = state.Pending };
                if (state.LastError is not null)
                {
                    // Serving, but a replication target is not taking our writes.
                    status = "degraded";
                    replicationNode[target]!["error"] = state.LastError;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            status = "unhealthy";
            error = $"storage: {ex.Message}";
        }
        var body = new JsonObject
        {
            ["status"] = status,
            ["region"] = options.Region.CurrentRegion,
            ["latency_ms"] = Math.Round(watch.Elapsed.TotalMilliseconds, 3),
            ["role"] = manager.RoleOf(manager.CurrentRegion),
            ["primary"] = manager.PrimaryRegion.Length > 0 ? manager.PrimaryRegion : null,
            ["epoch"] = manager.Epoch,
            ["accepting_strong_writes"] = manager.CanAcceptStrongWrites(out _),
            // The Raft leader decides failovers; null without an election or while there is none.
            ["leader"] = context.RequestServices.GetService<FailoverCoordinator>()?.LeaderRegion,
            ["replication"] = replicationNode,
        };
        if (error is not null)
        {
            body["error"] = error;
        }
        return Results.Text(body.ToJsonString(), "application/json", statusCode: status == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
