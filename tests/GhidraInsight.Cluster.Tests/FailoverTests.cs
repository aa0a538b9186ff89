using System.Net;
using System.Text.Json.Nodes;
using GhidraInsight.Cluster.Tests.Support;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// Faults against a 3-region cluster of real processes while <see cref="FaultWorkload"/> writes: the primary killed, frozen,
/// or cut off through the test proxies; one link cut; the old primary restarted; repeated cycles. Each ends with the
/// workload's safety check.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class FailoverTests
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PrimaryKilled_AnotherRegionTakesOver_AndTheOldPrimaryRejoinsAsReplica()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        var workload = await FaultWorkload.StartAsync(cluster);
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        var old = await cluster.PrimaryAsync();

        old.Kill();
        var successor = await cluster.PrimaryAsync(except: old);
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        await old.StartAsync();
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        await workload.StopAsync();

        await workload.CheckAsync(sync: false);
        var health = (await old.HealthAsync())!;
        Assert.Equal(("replica", successor.Name), ((string?)health["role"], (string?)health["primary"]));
        Assert.Equal(2L, (long)health["epoch"]!);
        // Raft's own chatter (elections, unreachable members) stays out of the regions' logs, even through a failover.
        Assert.All(cluster.Nodes, node => Assert.DoesNotContain("DotNext", node.Log, StringComparison.Ordinal));
        var history = await HistoryAsync(successor);
        var record = Assert.Single(history);
        Assert.Equal((old.Name, successor.Name, 2L, "health"), ((string)record!["from"]!, (string)record["to"]!, (long)record["epoch"]!, (string)record["reason"]!));
        // The failover is in the audit trail, recorded once by the new primary, and it reaches the old one too.
        Assert.True(await TestCluster.EventuallyAsync(async () =>
            JsonNode.Parse(await old.Client.GetStringAsync("api/audit"))!["items"]!.AsArray()
                .Count(e => (string?)e!["key"] == "(system)" && (string?)e["target"] == $"{old.Name} → {successor.Name}, epoch 2"
                    && (string?)e["region"] == successor.Name && ((string?)e["action"])!.StartsWith("failover", StringComparison.Ordinal)) == 1, Soon),
            await old.Client.GetStringAsync("api/audit"));
    }

    [Fact]
    public async Task PrimaryFrozenThenResumed_StopsAcceptingBeforeTheNewOneStarts_AndRejoinsAsReplica()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        var workload = await FaultWorkload.StartAsync(cluster);
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        var old = await cluster.PrimaryAsync();

        old.Pause();
        var successor = await cluster.PrimaryAsync(except: old);
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        old.Resume();
        Assert.True(await TestCluster.EventuallyAsync(async () => (string?)(await old.HealthAsync())?["primary"] == successor.Name, Soon), workload.Logs());
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        await workload.StopAsync();

        await workload.CheckAsync(sync: false);
    }

    [Fact]
    public async Task PrimaryCutOffFromBothOthers_RefusesStrongWrites_AnotherTakesOver_AndAfterHealingAllConverge()
    {
        using var cluster = await TestCluster.StartProxiedAsync(Regions);
        var workload = await FaultWorkload.StartAsync(cluster);
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        var old = await cluster.PrimaryAsync();

        cluster.Cuts.Isolate(old.Name, Regions);
        var successor = await cluster.PrimaryAsync(except: old);
        // Still reachable by clients, the cut-off primary must not accept anything now.
        Assert.True(await TestCluster.EventuallyAsync(async () => (bool?)(await old.HealthAsync())?["accepting_strong_writes"] == false, Soon));
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        cluster.Cuts.HealAll();
        Assert.True(await TestCluster.EventuallyAsync(async () => (string?)(await old.HealthAsync())?["primary"] == successor.Name, Soon), workload.Logs());
        Assert.True(await workload.WaitForAcksAsync(10, Soon), workload.Logs());
        await workload.StopAsync();

        await workload.CheckAsync(sync: false);
    }

    [Fact]
    public async Task OneLinkCut_BetweenThePrimaryAndAReplica_KeepsOnePrimaryAndLosesNothing()
    {
        using var cluster = await TestCluster.StartProxiedAsync(Regions);
        var workload = await FaultWorkload.StartAsync(cluster);
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        var primary = await cluster.PrimaryAsync();
        var replica = cluster.Nodes.First(n => n != primary);

        cluster.Cuts.Cut(primary.Name, replica.Name);
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.True(await workload.WaitForAcksAsync(10, Soon), workload.Logs());
        cluster.Cuts.HealAll();
        Assert.True(await workload.WaitForAcksAsync(10, Soon), workload.Logs());
        await workload.StopAsync();

        await workload.CheckAsync(sync: false);
    }

    [Fact]
    public async Task RepeatedCycles_OfKillingThePrimaryAndRestartingIt_KeepEveryInvariant()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        var workload = await FaultWorkload.StartAsync(cluster);
        for (var cycle = 0; cycle < 3; cycle++)
        {
            Assert.True(await workload.WaitForAcksAsync(10, Soon), workload.Logs());
            var old = await cluster.PrimaryAsync();
            old.Kill();
            await cluster.PrimaryAsync(except: old);
            Assert.True(await workload.WaitForAcksAsync(10, Soon), workload.Logs());
            await old.StartAsync();
        }
        Assert.True(await workload.WaitForAcksAsync(10, Soon), workload.Logs());
        await workload.StopAsync();

        await workload.CheckAsync(sync: false);
        var epoch = (long)(await (await cluster.PrimaryAsync()).HealthAsync())!["epoch"]!;
        Assert.Equal(4L, epoch);
    }

    [Fact]
    public async Task SyncMode_PrimaryKilled_LosesNoAcknowledgedWrite()
    {
        using var cluster = await TestCluster.StartAsync(Regions, region => region with { ReplicationMode = Configuration.ReplicationMode.Sync });
        var workload = await FaultWorkload.StartAsync(cluster);
        Assert.True(await workload.WaitForAcksAsync(30, Soon), workload.Logs());
        var old = await cluster.PrimaryAsync();

        old.Kill();
        await cluster.PrimaryAsync(except: old);
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        await workload.StopAsync();

        // The old primary stays down: every acknowledged write must already be held by the others.
        await workload.CheckAsync(sync: true);
    }

    [Fact]
    public async Task HealthyClusterUnderCpuLoad_NeverFailsOver()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        var workload = await FaultWorkload.StartAsync(cluster);
        // Twice as many busy loops as cores, at normal priority, for a minute (120 election timeouts; it was three, which held the
        // whole machine, and the test assemblies running beside this one, for two minutes more than the check needs).
        var burners = Enumerable.Range(0, 2 * Environment.ProcessorCount)
            .Select(_ => System.Diagnostics.Process.Start("sh", ["-c", "while :; do :; done"]))
            .ToList();
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1));
        }
        finally
        {
            foreach (var burner in burners)
            {
                burner.Kill();
                burner.WaitForExit();
                burner.Dispose();
            }
        }
        Assert.True(await workload.WaitForAcksAsync(10, Soon), workload.Logs());
        await workload.StopAsync();

        foreach (var node in cluster.Nodes)
        {
            var health = (await node.HealthAsync())!;
            Assert.True((long)health["epoch"]! == 1, $"{node.Name} is at epoch {health["epoch"]}:\n{workload.Logs()}");
            Assert.Empty(await HistoryAsync(node));
        }
        Assert.True(workload.Acks.Count > 100, $"only {workload.Acks.Count} of {workload.Attempts} strong writes were acknowledged under load");
        await workload.CheckAsync(sync: false);
    }

    private static async Task<JsonArray> HistoryAsync(RegionNode node)
    {
        var regions = JsonNode.Parse(await node.Client.GetStringAsync("api/regions"))!.AsObject();
        return new JsonArray([.. regions.SelectMany(r => r.Value!["failovers"]!.AsArray()).Select(f => f!.DeepClone())]);
    }
}

/// <summary>Fault tests share the machine's two cores: they run one at a time, and not alongside other cluster tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
