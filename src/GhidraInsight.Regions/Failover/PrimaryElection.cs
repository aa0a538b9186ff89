using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Http;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using GhidraInsight.Configuration;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// Joins this region to the Raft group of all regions (and the witness) that decides who is primary. The group speaks
/// DotNext's HTTP transport on each region's own port; its members are the configured endpoints (static, no cold start), its
/// log lives in <c>DATA/raft</c>, and every message is signed with the region secret.
/// </summary>
public static class PrimaryElection
{
    /// <summary>The HttpClient name DotNext's Raft client uses; ours signs every message.</summary>
    internal const string RaftClient = "GhidraInsight.Regions.Raft";

    /// <summary>The signed HttpClient of failover status checks and switchover relays.</summary>
    internal const string FailoverClient = "GhidraInsight.Regions.Failover";

    /// <summary>Whether this configuration runs an election: regions on, at least two voters, and a secret to sign with.</summary>
    public static bool IsEnabled(RegionOptions region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region.Enabled && region.Voters.Count >= 2 && !string.IsNullOrEmpty(region.Secret);
    }

    /// <summary>Registers the Raft member, its state machine and the <see cref="FailoverCoordinator"/>.</summary>
    public static WebApplicationBuilder AddPrimaryElection(this WebApplicationBuilder builder, GhidraOptions options, PrimaryRole role)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var region = options.Region;
        var self = region.Endpoints[region.CurrentRegion];
        var raftDirectory = Path.Combine(options.Storage.DataDir, "raft");
        Directory.CreateDirectory(raftDirectory);

        builder.JoinCluster((member, _, _) =>
        {
            member.PublicEndPoint = self;
            member.ColdStart = false;
            member.LowerElectionTimeout = region.ElectionTimeoutMs;
            member.UpperElectionTimeout = 2 * region.ElectionTimeoutMs;
            // Heartbeats every quarter of the election timeout: a follower's read barrier waits for the next one, and the primary's
            // lease must be renewed well within FailoverTiming.FenceLease even when the primary is a follower.
            member.HeartbeatThreshold = 0.25;
            // One slow answer (a fresh process's first requests, a loaded machine) must not count as a dead member.
            member.RequestTimeout = TimeSpan.FromMilliseconds(2 * region.ElectionTimeoutMs);
            member.ClientHandlerName = RaftClient;
        });
        builder.Services.UseInMemoryConfigurationStorage(members =>
        {
            foreach (var voter in region.Voters)
            {
                members.Add(new UriEndPoint(region.Endpoints[voter]));
            }
        });
        builder.Services.AddSingleton(new PrimaryStateMachineOptions(Path.Combine(raftDirectory, "snapshots"), region.Regions));
        builder.Services.UseStateMachine<PrimaryStateMachine>(new WriteAheadLog.Options { Location = Path.Combine(raftDirectory, "wal") });
        // DotNext builds its own HttpClient on this handler chain and sets its own timeouts (RequestTimeout above).
        builder.Services.AddRegionClient(RaftClient, region, Timeout.InfiniteTimeSpan, signed: true);

        builder.Services.AddSingleton(role);
        // Signed like replication, but without the cross-region timeout as a cap: every failover call sets its own deadline.
        builder.Services.AddRegionClient(FailoverClient, region, Timeout.InfiniteTimeSpan, signed: true);
        builder.Services.AddSingleton(provider =>
        {
            var factory = provider.GetRequiredService<IHttpClientFactory>();
            return new FailoverPeers(region, role, provider.GetRequiredService<IAnalysisStore>(), factory.CreateClient(RegionHttpClients.Health),
                factory.CreateClient(FailoverClient));
        });
        builder.Services.AddSingleton(provider => new FailoverCoordinator(options, provider.GetRequiredService<IRaftCluster>(),
            provider.GetRequiredService<PrimaryStateMachine>(), role, provider.GetRequiredService<FailoverPeers>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<FailoverCoordinator>>()));
        builder.Services.AddHostedService(provider => provider.GetRequiredService<FailoverCoordinator>());

        // Raft's own chatter (elections, unreachable members, requests cut short by a peer's shutdown, which DotNext logs as
        // errors) stays out of normal logs; ours says what matters, and a failure that matters surfaces in our own calls.
        builder.Logging.AddFilter("DotNext", LogLevel.Critical);
        return builder;
    }

    /// <summary>
    /// Restores the state machine from its snapshot (before anything resolves the log) and puts the authenticated Raft
    /// endpoint in front of the rest of the pipeline.
    /// </summary>
    public static async Task UsePrimaryElectionAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.RestoreStateAsync<PrimaryStateMachine>(cancellationToken).ConfigureAwait(false);
        app.UseMiddleware<ConsensusAuthenticationMiddleware>();
        app.UseConsensusProtocolHandler();
    }
}
