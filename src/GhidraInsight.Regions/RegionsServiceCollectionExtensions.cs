using GhidraInsight.Configuration;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Security;
using GhidraInsight.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions;

/// <summary>Registers the multi-region services.</summary>
public static class RegionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MultiRegionManager"/>, <see cref="ReplicationService"/>, <see cref="ReplicationReceiver"/>,
    /// <see cref="RegionRequestVerifier"/> (when a secret is configured), a fixed <see cref="PrimaryRole"/> unless one is registered, the named HttpClients of
    /// <see cref="RegionHttpClients"/> (timeout: the cross-region timeout) and, when <c>region.enabled</c>, a hosted service
    /// running health probes and replication. Needs an <see cref="IAnalysisStore"/>; uses a registered
    /// <see cref="TimeProvider"/> or the system clock.
    /// </summary>
    public static IServiceCollection AddRegions(this IServiceCollection services, GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var region = options.Region;
        var timeout = TimeSpan.FromSeconds(Math.Max(1, region.CrossRegionTimeoutSeconds));

        services.TryAddSingleton(TimeProvider.System);
        services.AddRegionClient(RegionHttpClients.Health, region, timeout, signed: false);
        services.AddRegionClient(RegionHttpClients.Forwarding, region, timeout, signed: false);
        services.AddRegionClient(RegionHttpClients.Replication, region, timeout, signed: !string.IsNullOrEmpty(region.Secret));
        if (!string.IsNullOrEmpty(region.Secret))
        {
            services.TryAddSingleton(provider =>
                new RegionRequestVerifier(region.CurrentRegion, region.Voters, region.Secret, provider.GetRequiredService<TimeProvider>()));
        }

        services.TryAddSingleton(provider => new RegionHealthMonitor(
            region,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(RegionHttpClients.Health),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<RegionHealthMonitor>>()));
        services.TryAddSingleton(provider => CreateReplication(provider, region));
        services.TryAddSingleton(provider => new ReplicationReceiver(provider.GetRequiredService<IAnalysisStore>(), region.CurrentRegion));
        services.TryAddSingleton(provider => PrimaryRole.Fixed(region, provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new MultiRegionManager(
            region,
            provider.GetRequiredService<RegionHealthMonitor>(),
            provider.GetRequiredService<ReplicationService>(),
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(RegionHttpClients.Forwarding),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<PrimaryRole>()));
        if (region.Enabled)
        {
            services.AddHostedService<RegionsBackgroundService>();
        }

        return services;
    }

    /// <summary>
    /// A named HttpClient for calls to other regions: <paramref name="timeout"/>, a user agent naming this region (so a peer's
    /// access logs, and a proxy, can tell who calls) and, when <paramref name="signed"/>, every request signed with the secret.
    /// </summary>
    internal static IHttpClientBuilder AddRegionClient(this IServiceCollection services, string name, RegionOptions region, TimeSpan timeout, bool signed)
    {
        var builder = services.AddHttpClient(name, client =>
        {
            client.Timeout = timeout;
            client.DefaultRequestHeaders.UserAgent.TryParseAdd($"GhidraInsight-Region/{region.CurrentRegion}");
        });
        if (signed)
        {
            builder.AddHttpMessageHandler(provider =>
                new RegionSigningHandler(new RegionRequestSigner(region.CurrentRegion, region.Secret!, provider.GetRequiredService<TimeProvider>())));
        }
        return builder;
    }

    /// <summary>Targets: <c>replication_regions</c>, else every other region; none unless enabled with replication on.</summary>
    internal static IReadOnlyList<string> ReplicationTargets(RegionOptions region)
    {
        if (!region.Enabled || !region.ReplicationEnabled || region.IsWitness)
        {
            return [];
        }

        var targets = region.ReplicationRegions.Count > 0 ? region.ReplicationRegions : region.Regions;
        return targets.Where(target => target != region.CurrentRegion).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static ReplicationService CreateReplication(IServiceProvider provider, RegionOptions region)
    {
        var store = provider.GetRequiredService<IAnalysisStore>();
        var time = provider.GetRequiredService<TimeProvider>();
        var targets = ReplicationTargets(region);
        if (targets.Count > 0 && string.IsNullOrEmpty(region.Secret))
        {
            throw new InvalidOperationException("Replication needs the inter-region secret (region.secret_file or GHIDRA_REGION__SECRET).");
        }

        var factory = provider.GetRequiredService<IHttpClientFactory>();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger<Replicator>();
        var replicators = targets
            .Select(target => new Replicator(
                region.CurrentRegion,
                target,
                region.Endpoints.TryGetValue(target, out var endpoint) ? endpoint : throw new InvalidOperationException($"No endpoint is configured for replication target '{target}'."),
                store,
                factory.CreateClient(RegionHttpClients.Replication),
                time,
                logger))
            .ToArray();
        return new ReplicationService(replicators, store, time);
    }
}
