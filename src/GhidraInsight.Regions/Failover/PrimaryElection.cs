using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Http;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Regions.Health;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// Joins this region to the Raft group of all regions (and the witness) that decides who is primary. The group speaks
/// DotNext's HTTP transport on each region's own port; its members are the configured endpoints (static, no cold start), its
/// log lives in <c>DATA/raft</c>, and every message is signed with the region secret.
/// </summary>
internal static class PrimaryElection
{
    /// <summary>Whether this configuration runs an election: regions on, at least two voters, and a secret to sign with.</summary>
    public static bool IsEnabled(RegionOptions region) =>
        region.Enabled && region.Voters.Count >= 2 && !string.IsNullOrEmpty(region.Secret);

    /// <summary>Whether the group may fail over on its own: an election, failover enabled, and an odd number (at least three) of voters.</summary>
    public static bool FailsOverAutomatically(RegionOptions region) =>
        IsEnabled(region) && region.FailoverEnabled && region.Voters.Count >= 3 && region.Voters.Count % 2 == 1;

    /// <summary>Registers the Raft member, its state machine, the failover peers and the <see cref="FailoverCoordinator"/>.</summary>
    public static IServiceCollection AddPrimaryElection(this IServiceCollection services, GhidraOptions options)
    {
        var region = options.Region;
        var raftDirectory = Path.Combine(options.Storage.DataDir, "raft");
        Directory.CreateDirectory(raftDirectory);

        services.ConfigureLocalNode(member =>
        {
            member.PublicEndPoint = region.Endpoints[region.CurrentRegion];
            member.ColdStart = false;
            member.LowerElectionTimeout = region.ElectionTimeoutMs;
            member.UpperElectionTimeout = 2 * region.ElectionTimeoutMs;
            // Heartbeats every quarter of the election timeout: a follower's read barrier waits for the next one, and the primary's
            // lease must be renewed well within FailoverTiming.FenceLease even when the primary is a follower.
            member.HeartbeatThreshold = 0.25;
            // One slow answer (a fresh process's first requests, a loaded machine) must not count as a dead member.
            member.RequestTimeout = TimeSpan.FromMilliseconds(2 * region.ElectionTimeoutMs);
            member.ClientHandlerName = RegionHttpClients.Raft;
        });
        services.UseInMemoryConfigurationStorage(members =>
        {
            foreach (var voter in region.Voters)
            {
                members.Add(new UriEndPoint(region.Endpoints[voter]));
            }
        });
        services.AddSingleton(new PrimaryStateMachineOptions(Path.Combine(raftDirectory, "snapshots"), region.Regions));
        services.UseStateMachine<PrimaryStateMachine>(new WriteAheadLog.Options { Location = Path.Combine(raftDirectory, "wal") });
        // DotNext builds its own HttpClient on this handler chain and sets its own timeouts (RequestTimeout above).
        services.AddRegionClient(RegionHttpClients.Raft, region, Timeout.InfiniteTimeSpan, signed: true);

        services.AddSingleton(provider => new FailoverPeers(region, provider.GetRequiredService<PrimaryRole>(), provider.GetRequiredService<IReplicationLog>(),
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(RegionHttpClients.Failover), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new FailoverCoordinator(options.Storage.DataDir, provider.GetRequiredService<IOptionsMonitor<RegionOptions>>(),
            provider.GetRequiredService<IRaftCluster>(), provider.GetRequiredService<PrimaryStateMachine>(), provider.GetRequiredService<PrimaryRole>(),
            provider.GetRequiredService<FailoverPeers>(), provider.GetRequiredService<PeerMonitor>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<FailoverCoordinator>>(), provider.GetService<IAuditTrail>()));
        services.AddHostedService(provider => provider.GetRequiredService<FailoverCoordinator>());

        // Raft's own chatter (elections, unreachable members, requests cut short by a peer's shutdown, which DotNext logs as
        // errors) stays out of normal logs; ours says what matters, and a failure that matters surfaces in our own calls.
        services.Configure<LoggerFilterOptions>(filters => filters.AddFilter("DotNext", LogLevel.Critical));
        return services;
    }

    /// <summary>Restores the state machine from its snapshot (before anything resolves the log) and serves Raft messages.</summary>
    public static async Task UsePrimaryElectionAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        await app.RestoreStateAsync<PrimaryStateMachine>(cancellationToken).ConfigureAwait(false);
        app.UseConsensusProtocolHandler();
    }
}
