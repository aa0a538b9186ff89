using GhidraInsight.Configuration;
using GhidraInsight.Http.Dashboard;
using GhidraInsight.Http.Tls;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Regions.Forwarding;
using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Locality;
using GhidraInsight.Regions.Metrics;
using GhidraInsight.Regions.Patroni;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace GhidraInsight.Regions;

/// <summary>Registers everything multi-region, as YARP's <c>AddReverseProxy()</c> does for a proxy.</summary>
public static class RegionsServiceCollectionExtensions
{
    private const string PatroniClient = "GhidraInsight.Regions.Patroni";
    private const string PatroniSwitchoverClient = "GhidraInsight.Regions.Patroni.Switchover";

    /// <summary>
    /// Registers this region's part of the deployment: <see cref="MultiRegionManager"/>, the peer monitor, replication (one
    /// replicator per target, the receiver, the outbox pruner), the role of primary — elected by the regions' Raft group when
    /// <see cref="PrimaryElection.IsEnabled"/>, else fixed — with its fence and the strong-write gate, the per-request
    /// <see cref="WriteEpoch"/>, forwarding to the primary, region authentication, metrics on the shared
    /// <see cref="CollectorRegistry"/>, the <c>storage</c> health check, and, when <c>region.enabled</c>, the hosted service that runs
    /// it all. Needs <see cref="IAnalysisStore"/> and <see cref="IReplicationLog"/> (<c>AddRegionStorage</c>) and
    /// <see cref="IOptionsMonitor{RegionOptions}"/>; uses a registered <see cref="TimeProvider"/> or the system clock.
    /// </summary>
    public static IServiceCollection AddRegions(this IServiceCollection services, GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var region = options.Region;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddHttpForwarder();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>(StoreHealthCheck.Name);

        services.TryAddSingleton(provider => PeerTls.For(region, provider.GetRequiredService<ILoggerFactory>().CreateLogger<PeerTls>()));
        services.AddRegionClient(RegionHttpClients.Health, region, Timeout.InfiniteTimeSpan, signed: false);
        services.AddRegionClient(RegionHttpClients.Replication, region, TimeSpan.FromSeconds(Math.Max(1, region.CrossRegionTimeoutSeconds)), signed: true);
        services.AddRegionClient(RegionHttpClients.Failover, region, Timeout.InfiniteTimeSpan, signed: true);
        if (!string.IsNullOrEmpty(region.Secret))
        {
            services.TryAddSingleton(provider => RegionSecret.Following(provider.GetRequiredService<IOptionsMonitor<RegionOptions>>(),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<RegionSecret>()));
            services.TryAddSingleton(provider =>
                new RegionRequestVerifier(region.CurrentRegion, region.Voters, provider.GetRequiredService<RegionSecret>(), provider.GetRequiredService<TimeProvider>()));
        }

        // In PostgreSQL mode Patroni decides who is primary (PatroniPrimary); otherwise our Raft group, or the configuration.
        var followsPatroni = FollowsPatroni(options);
        services.TryAddSingleton(provider => followsPatroni
            ? PrimaryRole.Elected(region, provider.GetRequiredService<TimeProvider>())
            : PrimaryRole.For(region, provider.GetRequiredService<TimeProvider>()));
        services.TryAddScoped<WriteEpoch>();
        services.TryAddSingleton(provider => new PeerMonitor(provider.GetRequiredService<IOptionsMonitor<RegionOptions>>(), provider.GetRequiredService<PrimaryRole>(),
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(RegionHttpClients.Health), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<PeerMonitor>>()));
        services.TryAddSingleton(provider => CreateReplication(provider, region, databaseReplicates: options.Storage.IsPostgres));
        services.TryAddSingleton<OutboxPruner>();
        services.TryAddSingleton(provider => new ReplicationReceiver(provider.GetRequiredService<IReplicationLog>(), region.CurrentRegion,
            provider.GetServices<IReplicatedChangeObserver>()));
        services.TryAddSingleton<PrimaryForwarder>();
        services.TryAddSingleton<RemoteBinaryFetcher>();
        services.TryAddSingleton(provider => new StrongWriteGate(provider.GetRequiredService<IOptionsMonitor<RegionOptions>>(), provider.GetRequiredService<PrimaryRole>(), provider.GetRequiredService<MultiRegionManager>(),
            databaseReplicates: options.Storage.IsPostgres));
        services.TryAddSingleton(provider => new MultiRegionManager(provider.GetRequiredService<IOptionsMonitor<RegionOptions>>(),
            provider.GetRequiredService<PeerMonitor>(), provider.GetRequiredService<ReplicationService>(), provider.GetRequiredService<OutboxPruner>(),
            provider.GetRequiredService<PrimaryRole>(), provider.GetRequiredService<PrimaryForwarder>(), provider.GetRequiredService<RemoteBinaryFetcher>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new RegionMetrics(provider.GetRequiredService<CollectorRegistry>(), provider.GetRequiredService<MultiRegionManager>(),
            provider.GetRequiredService<ReplicationService>(), provider.GetRequiredService<IReplicationLog>(), provider.GetRequiredService<IOptionsMonitor<RegionOptions>>()));
        if (followsPatroni)
        {
            services.AddHttpClient(PatroniClient);
            var patroni = PatroniApi(options)!;
            services.TryAddSingleton(provider => new PatroniPrimary(region.CurrentRegion, patroni,
                provider.GetRequiredService<PrimaryRole>(), provider.GetRequiredService<IHttpClientFactory>().CreateClient(PatroniClient),
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<PatroniPrimary>>(), provider.GetService<IDatabasePrimary>()));
            services.AddHostedService(provider => provider.GetRequiredService<PatroniPrimary>());
            services.TryAddSingleton(provider => new PatroniSwitchover(region, patroni, provider.GetRequiredService<PrimaryRole>(),
                provider.GetRequiredService<PatroniPrimary>(),
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(PatroniSwitchoverClient), provider.GetRequiredService<TimeProvider>()));
            services.AddHostedService(provider => new PatroniConfiguredPrimary(provider.GetRequiredService<IOptionsMonitor<RegionOptions>>(), options.Storage.DataDir,
                provider.GetRequiredService<PatroniSwitchover>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<PatroniConfiguredPrimary>>()));
            services.AddHostedService(provider => new PatroniReplicationMode(provider.GetRequiredService<IOptionsMonitor<RegionOptions>>(), patroni,
                provider.GetRequiredService<PrimaryRole>(), provider.GetRequiredService<IHttpClientFactory>().CreateClient(PatroniClient),
                provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<PatroniReplicationMode>>()));
            // Patroni answers a switchover when it is done, which may take the whole switchover timeout.
            services.AddHttpClient(PatroniSwitchoverClient, client => client.Timeout = Timeout.InfiniteTimeSpan);
        }
        else if (PrimaryElection.IsEnabled(region))
        {
            services.AddPrimaryElection(options);
        }

        services.AddSingleton<LagHistory>();
        if (region.Enabled)
        {
            services.AddHostedService<RegionsBackgroundService>();
            services.AddHostedService<LagSampler>();
        }

        // YARP logs a failed forward with its exception; the caller's 503 says what happened, so only real faults are logged.
        services.Configure<LoggerFilterOptions>(filters => filters.AddFilter("Yarp", LogLevel.Error));
        return services;
    }

    /// <summary>This region's Patroni REST API (with a trailing slash, so relative paths append) when it follows Patroni; else null.</summary>
    public static Uri? PatroniApi(GhidraOptions options) =>
        FollowsPatroni(options) ? new Uri(options.Storage.PatroniUrl!.TrimEnd('/') + "/") : null;

    /// <summary>Whether this region follows Patroni for its primary: several regions on PostgreSQL.</summary>
    public static bool FollowsPatroni(GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Storage.IsPostgres && options.Region.Enabled && options.Storage.PatroniUrl is not null;
    }

    /// <summary>
    /// Targets: <c>replication_regions</c>, else every other region; none unless enabled with replication on, and none when the
    /// database replicates (PostgreSQL streams every write to the other regions' standbys).
    /// </summary>
    internal static IReadOnlyList<string> ReplicationTargets(RegionOptions region, bool databaseReplicates = false)
    {
        if (databaseReplicates || !region.Enabled || !region.ReplicationEnabled || region.IsWitness)
        {
            return [];
        }

        var targets = region.ReplicationRegions.Count > 0 ? region.ReplicationRegions : region.Regions;
        return [.. targets.Where(target => target != region.CurrentRegion).Distinct(StringComparer.Ordinal)];
    }

    private static ReplicationService CreateReplication(IServiceProvider provider, RegionOptions region, bool databaseReplicates)
    {
        var log = provider.GetRequiredService<IReplicationLog>();
        var time = provider.GetRequiredService<TimeProvider>();
        var targets = ReplicationTargets(region, databaseReplicates);
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
                log,
                factory.CreateClient(RegionHttpClients.Replication),
                time,
                logger))
            .ToArray();
        return new ReplicationService(replicators, log, provider.GetRequiredService<IOptionsMonitor<RegionOptions>>(), time,
            databaseReplicates ? provider.GetService<IDatabaseReplication>() : null);
    }
}
