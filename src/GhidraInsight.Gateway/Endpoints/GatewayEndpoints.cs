using System.Net.Http.Json;
using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Destinations;
using GhidraInsight.Gateway.Hosting;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Dashboard;
using GhidraInsight.Http.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Prometheus;

namespace GhidraInsight.Gateway.Endpoints;

/// <summary>
/// The gateway's own endpoints: <c>/health</c> (healthy while a region serves; which), <c>/health/live</c>, <c>/api/regions</c>
/// (its view of every region, in the regions' own contract, so <c>ghidrainsight regions --url GATEWAY</c> works), <c>/metrics</c>,
/// and the dashboard: the page at <c>/</c>, <c>/api/overview</c> and <c>/api/whoami</c>.
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
        app.MapGet("/api/regions", async (HttpRequest request, RegionTable table, IHttpClientFactory clients, CancellationToken cancellationToken) =>
            {
                var regions = table.Snapshot();
                var failovers = await FailoversAsync(regions, request, clients.CreateClient(GatewayHost.ProbeClient), cancellationToken);
                return Results.Json(StatusMap(regions, failovers), ContractsJsonContext.Default.RegionStatusMap);
            })
            .WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapGet("/api/overview", (HttpRequest request, RegionTable table, LagHistory history, IOptionsMonitor<GatewayOptions> options, TimeProvider time) =>
            {
                var (since, error) = OverviewQuery.Since(request);
                return error ?? Results.Json(Overview(table.Snapshot(), history.Samples(since), options.CurrentValue.ProbeIntervalMs, time.GetUtcNow()),
                    ContractsJsonContext.Default.RegionsOverview);
            })
            .WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapWhoAmI();
        app.MapDashboard("/", "/dashboard");
        app.MapMetrics("/metrics", registry).WithMetadata(new RequiredRole(ApiRole.Read));
    }

    /// <summary>
    /// The dashboard's regions view from the gateway: every region in rotation or not (and why), what it last reported of itself
    /// (role, epoch, whether it takes strong writes, its replication to each target), and the lag over the last minutes.
    /// </summary>
    public static RegionsOverview Overview(IReadOnlyList<GatewayRegionSnapshot> regions, IReadOnlyList<LagSample> history, int probeIntervalMs, DateTimeOffset now)
    {
        var (primary, epoch) = RegionTable.Primary(regions);
        var entries = regions.Select(region => new RegionOverview(region.Name, region.Healthy, region.WhyOut,
                region.LatencyMs is { } ms ? Math.Round(ms, 3) : null, region.LastCheck, Role(region, primary), region.Role is null ? null : region.Epoch,
                region.Role is null ? null : region.AcceptingStrongWrites, region.Replication))
            .ToList();
        return new RegionsOverview("gateway", now, probeIntervalMs, primary, epoch, entries, history);
    }

    // A region that lags behind a failover may still call itself primary; the newest report decides.
    private static string Role(GatewayRegionSnapshot region, string? primary) =>
        region.Name == primary ? "primary" : region.Role is null or "primary" ? "replica" : region.Role;

    /// <summary>How long the gateway waits for one region's failover history before it asks the next.</summary>
    private static readonly TimeSpan FailoversTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The failover history, which the gateway does not keep: asked of the primary first, then of each other serving region, with
    /// the caller's own key (the same role reads it). Empty when none answers: the regions' status is shown without it.
    /// </summary>
    private static async Task<IReadOnlyList<FailoverEvent>> FailoversAsync(IReadOnlyList<GatewayRegionSnapshot> regions, HttpRequest caller, HttpClient http,
        CancellationToken cancellationToken)
    {
        var (primary, _) = RegionTable.Primary(regions);
        foreach (var region in regions.Where(r => r.Healthy).OrderBy(r => r.Name == primary ? 0 : 1))
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(FailoversTimeout);
            using var ask = new HttpRequestMessage(HttpMethod.Get, new Uri(region.Endpoint, "/api/failovers"));
            if (ApiKeys.Presented(caller) is { } key)
            {
                ask.Headers.TryAddWithoutValidation("X-API-Key", key);
            }
            try
            {
                using var answer = await http.SendAsync(ask, deadline.Token).ConfigureAwait(false);
                if (answer.IsSuccessStatusCode
                    && await answer.Content.ReadFromJsonAsync(ContractsJsonContext.Default.IReadOnlyListFailoverEvent, deadline.Token).ConfigureAwait(false) is { } events)
                {
                    return events;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or JsonException or NotSupportedException or OperationCanceledException
                && !cancellationToken.IsCancellationRequested)
            {
                // The next region may answer.
            }
        }

        return [];
    }

    /// <summary>
    /// Each region as the gateway sees it: in rotation or not (and why), latency, the role it reported, the lag of the primary's
    /// replication towards it, the epoch on the primary's entry, and (as a region answers) the changes of primary that made it primary.
    /// </summary>
    public static RegionStatusMap StatusMap(IReadOnlyList<GatewayRegionSnapshot> regions, IReadOnlyList<FailoverEvent> failovers)
    {
        var (primary, epoch) = RegionTable.Primary(regions);
        var lags = regions.FirstOrDefault(r => r.Name == primary)?.Replication ?? new Dictionary<string, ReplicationHealth>();
        var map = new RegionStatusMap();
        foreach (var region in regions)
        {
            map[region.Name] = new RegionStatusEntry(region.Healthy, region.LatencyMs is { } ms ? Math.Round(ms, 3) : null, region.LastCheck, region.WhyOut, Role(region, primary),
                Math.Round(lags.GetValueOrDefault(region.Name)?.LagMs ?? 0, 3), region.Name == primary ? epoch : null,
                [.. failovers.Where(f => f.To == region.Name).OrderBy(f => f.Epoch)]);
        }

        return map;
    }
}
