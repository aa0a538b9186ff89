using GhidraInsight.Configuration;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Forwarding;
using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Locality;
using GhidraInsight.Regions.Metrics;
using GhidraInsight.Regions.Replication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Regions;

/// <summary>Puts the multi-region HTTP surface into a host's pipeline, as YARP's <c>MapReverseProxy()</c> does for a proxy.</summary>
public static class RegionsApplicationExtensions
{
    /// <summary>
    /// Ahead of everything else: region authentication of the inter-region surface (replication, the internal API, Raft), then
    /// the Raft endpoint itself when the region runs an election (its state machine restored first). Raft messages and signed
    /// requests thereby skip API keys, rate limits and request timeouts, and are signed instead.
    /// </summary>
    public static async Task UseRegionsAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RegionAuthenticationMiddleware>();
        if (app.Services.GetService<FailoverCoordinator>() is not null)
        {
            await app.UsePrimaryElectionAsync(cancellationToken).ConfigureAwait(false);
        }

        // Created now, so the region metrics are on the registry from the first scrape.
        app.Services.GetRequiredService<RegionMetrics>();
    }

    /// <summary>
    /// After routing and the caller's authentication: strong writes run through the gate at the primary and are forwarded to it
    /// elsewhere; every answer names the region that accepted it.
    /// </summary>
    public static IApplicationBuilder UseRegionForwarding(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<PrimaryForwardingMiddleware>();
    }

    /// <summary>
    /// Maps <c>/health</c>, <c>/health/live</c>, <c>/api/regions</c>, <c>/api/regions/best</c>, the dashboard's <c>/api/overview</c> and
    /// <c>/api/failovers</c>, and the failover API; on a region
    /// that holds data (not a witness) also <c>/api/replicate</c>, <c>/api/conflicts</c> and the raw-binary endpoint.
    /// </summary>
    public static IEndpointRouteBuilder MapRegions(this IEndpointRouteBuilder endpoints, RegionOptions region)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(region);
        endpoints.MapRegionHealth();
        endpoints.MapRegionStatus();
        endpoints.MapRegionOverview();
        endpoints.MapFailover();
        if (!region.IsWitness)
        {
            endpoints.MapReplication();
            endpoints.MapConflicts();
            endpoints.MapBinaries();
        }

        return endpoints;
    }
}
