using System.Diagnostics;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Analyses;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

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

    private static async Task<IResult> CheckAsync(IAnalysisStore store, AnalysisQueue queue, GhidraOptions options, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string status;
        string? error = null;
        try
        {
            await store.CheckHealthAsync(cancellationToken);
            // Healthy but saturated: every analysis slot and queue place is taken.
            status = queue.Depth >= options.Server.AnalysisConcurrency + options.Server.AnalysisQueueLimit ? "degraded" : "healthy";
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
            // A single region is its own primary, at epoch 1, replicating to nobody.
            ["role"] = "primary",
            ["primary"] = options.Region.CurrentRegion,
            ["epoch"] = 1,
            ["replication"] = new JsonObject(),
        };
        if (error is not null)
        {
            body["error"] = error;
        }
        return Results.Text(body.ToJsonString(), "application/json", statusCode: status == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
