using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Dashboard;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Security;
using GhidraInsight.Regions.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Health;

/// <summary>
/// The dashboard's data about regions, from this region: <c>GET /api/overview</c> (its peers as its monitor sees them, its own
/// replication to each target, and that lag over the last minutes) and <c>GET /api/failovers</c> (every change of primary it knows).
/// </summary>
internal static class RegionOverviewEndpoints
{
    public static void MapRegionOverview(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/overview", OverviewAsync)
            .WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<RegionsOverview>()
            .ProducesProblems((StatusCodes.Status400BadRequest, ProblemCodes.BadInput));
        app.MapGet("/api/failovers", (MultiRegionManager manager) =>
                Results.Json<IReadOnlyList<FailoverEvent>>(Failovers(manager), ContractsJsonContext.Default.IReadOnlyListFailoverEvent))
            .WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<IReadOnlyList<FailoverEvent>>();
    }

    /// <summary>Every committed change of primary this region knows, oldest first.</summary>
    public static IReadOnlyList<FailoverEvent> Failovers(MultiRegionManager manager) =>
        [.. manager.FailoverHistory.OrderBy(r => r.Epoch).Select(r => r.ToEvent())];

    private static async Task<IResult> OverviewAsync(HttpRequest request, MultiRegionManager manager, ReplicationService replication, LagHistory history,
        IOptionsMonitor<RegionOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (since, error) = OverviewQuery.Since(request);
        if (error is not null)
        {
            return error;
        }

        var own = (await replication.StatusAsync(cancellationToken)).ToDictionary(pair => pair.Key, pair => pair.Value.ToHealth(), StringComparer.Ordinal);
        var self = manager.CurrentRegion;
        var accepting = manager.CanAcceptStrongWrites(out _);
        var regions = manager.GetRegionStatus().Select(pair => pair.Key == self
                ? new RegionOverview(self, true, null, 0, time.GetUtcNow(), pair.Value.Role, manager.Epoch, accepting, own)
                : new RegionOverview(pair.Key, pair.Value.Healthy, pair.Value.Healthy ? null : pair.Value.Error ?? "down",
                    pair.Value.LatencyMs is { } latency ? Math.Round(latency, 3) : null, pair.Value.LastCheck,
                    pair.Value.Role, null, null, new Dictionary<string, ReplicationHealth>()))
            .ToList();
        var overview = new RegionsOverview(self, time.GetUtcNow(), options.CurrentValue.HealthCheckIntervalSeconds * 1000.0,
            manager.PrimaryRegion.Length > 0 ? manager.PrimaryRegion : null, manager.Epoch, regions, history.Samples(since));
        return Results.Json(overview, ContractsJsonContext.Default.RegionsOverview);
    }
}
