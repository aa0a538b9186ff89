using GhidraInsight.Http.Contracts;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using HealthReport = GhidraInsight.Http.Contracts.HealthReport;

namespace GhidraInsight.Regions.Health;

/// <summary>
/// <c>GET /health</c>: whether this region can serve (every registered health check: the store, and whatever the host adds such
/// as the analysis queue), how long that took, its role, and replication to each target. <c>GET /health/live</c>: the process
/// runs. Both are public: load balancers and other regions call them.
/// </summary>
internal static class HealthEndpoints
{
    public static void MapRegionHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Json(LiveReport.Alive, ContractsJsonContext.Default.LiveReport))
            .Produces<LiveReport>();
        app.MapGet("/health", CheckAsync)
            .Produces<HealthReport>()
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> CheckAsync(HttpContext context, HealthCheckService checks, MultiRegionManager manager, ReplicationService replication,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var report = await checks.CheckHealthAsync(cancellationToken);
        var status = report.Status switch
        {
            HealthStatus.Unhealthy => HealthReport.Unhealthy,
            HealthStatus.Degraded => HealthReport.Degraded,
            _ => HealthReport.Healthy,
        };
        var problems = report.Entries
            .Where(entry => entry.Value.Status != HealthStatus.Healthy)
            .OrderBy(entry => entry.Value.Status)
            .Select(entry => $"{entry.Key}: {entry.Value.Description}")
            .ToList();
        var targets = new Dictionary<string, ReplicationHealth>(StringComparer.Ordinal);
        if (status != HealthReport.Unhealthy)
        {
            foreach (var (target, state) in await replication.StatusAsync(cancellationToken))
            {
                targets[target] = state.ToHealth();
                if (state.LastError is not null || state.PastRetention)
                {
                    // Serving, but a replication target is not taking our writes (or is so far behind it will need a resync).
                    status = HealthReport.Degraded;
                    problems.Add(state.PastRetention
                        ? $"replication to {target}: behind longer than the outbox retention; it is resynced from a snapshot when it returns"
                        : $"replication to {target}: {state.LastError}");
                }
            }
        }

        var body = new HealthReport(
            status,
            manager.CurrentRegion,
            Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 3),
            manager.RoleOf(manager.CurrentRegion),
            manager.PrimaryRegion.Length > 0 ? manager.PrimaryRegion : null,
            manager.Epoch,
            manager.CanAcceptStrongWrites(out _),
            // The Raft leader decides failovers; null without an election or while there is none.
            context.RequestServices.GetService<FailoverCoordinator>()?.LeaderRegion,
            targets,
            problems.Count > 0 ? string.Join("; ", problems) : null);
        return Results.Json(body, ContractsJsonContext.Default.HealthReport,
            statusCode: status == HealthReport.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
