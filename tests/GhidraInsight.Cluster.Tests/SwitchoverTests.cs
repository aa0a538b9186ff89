using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Cluster.Tests.Support;
using GhidraInsight.Configuration;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// Manual and configured switchovers, and the witness: <c>ghidrainsight failover</c> while writes run, a target that cannot
/// take over, a changed <c>primary_region</c> rolled out by restarts, and two regions with and without a witness.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class SwitchoverTests
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FailoverCommand_SwitchesOverWhileWritesRun_LosingNothing_AndEveryViewRecordsIt()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        var workload = await FaultWorkload.StartAsync(cluster);
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());

        var (exit, stdout, stderr) = OperatorTests.Cli("failover", "--to", "ap-south-1", "--url", cluster["eu-west-1"].Endpoint.ToString());
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        await workload.StopAsync();

        Assert.True(exit == 0, stderr + workload.Logs());
        Assert.Equal("ap-south-1 is the primary of epoch 2 and accepts strong writes.", stdout.Trim());
        foreach (var node in cluster.Nodes)
        {
            Assert.True(await TestCluster.EventuallyAsync(async () => (string?)(await node.HealthAsync())?["primary"] == "ap-south-1", Soon), node.Log);
        }
        // A switchover waits for the target to catch up: nothing may be lost, not even into a conflict record.
        await workload.CheckAsync(sync: true);
        var regions = OperatorTests.Cli("regions", "--url", cluster["us-east-1"].Endpoint.ToString());
        Assert.Contains("ap-south-1: ✓", regions.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"failovers:\n  epoch 2  \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ  us-east-1 → ap-south-1  \(manual\)\n", regions.Stdout);
        var metrics = await cluster["eu-west-1"].Client.GetStringAsync("metrics");
        Assert.Contains("ghidrainsight_failover_events_total{from=\"us-east-1\",to=\"ap-south-1\",reason=\"manual\"} 1", metrics, StringComparison.Ordinal);
        // The audit trail has the switchover, recorded by the region that took the call, in every region.
        Assert.True(await TestCluster.EventuallyAsync(async () =>
            JsonNode.Parse(await cluster["us-east-1"].Client.GetStringAsync("api/audit"))!["items"]!.AsArray()
                .Any(e => (string?)e!["action"] == "POST /api/failover" && (string?)e["target"] == "switchover to ap-south-1" && (int?)e["result"] == 200
                    && (string?)e["region"] == "eu-west-1"), Soon), await cluster["us-east-1"].Client.GetStringAsync("api/audit"));
    }

    [Fact]
    public async Task FailoverCommand_ToARegionThatIsDown_TimesOutClearly_AndChangesNothing()
    {
        using var cluster = await TestCluster.StartAsync(Regions, region => region with { SwitchoverTimeoutSeconds = 2 });
        cluster["ap-south-1"].Kill();

        var (exit, _, stderr) = OperatorTests.Cli("failover", "--to", "ap-south-1", "--url", cluster["eu-west-1"].Endpoint.ToString());

        Assert.Equal(1, exit);
        Assert.Equal("ghidrainsight: failover to ap-south-1 did not happen: ap-south-1 does not answer. Nothing changed.", stderr.Trim());
        var health = (await cluster["us-east-1"].HealthAsync())!;
        Assert.Equal(("us-east-1", 1L, true), ((string?)health["primary"], (long)health["epoch"]!, (bool)health["accepting_strong_writes"]!));
    }

    [Fact]
    public async Task FailoverCommand_ToARegionThatCannotCatchUp_TimesOutClearly_AndChangesNothing()
    {
        using var cluster = await TestCluster.StartProxiedAsync(Regions, region => region with { FailoverEnabled = false, SwitchoverTimeoutSeconds = 3 });
        var (primary, leader, target) = await TargetBehindThePrimaryAsync(cluster);

        var (exit, _, stderr) = OperatorTests.Cli("failover", "--to", target.Name, "--url", leader.Endpoint.ToString());

        Assert.Equal(1, exit);
        // The whole message on failure (Assert.Matches cuts it off).
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(stderr.Trim(),
            $@"^ghidrainsight: failover to {target.Name} did not happen: {target.Name} did not catch up with {primary.Name} within 3 s \(applied \d+ of \d+ entries\)\. Nothing changed\.$"),
            $"stderr: {stderr}\n{leader.Name}'s log:\n{leader.Log}");
        await AssertNothingChangedAsync(primary);
    }

    [Fact]
    public async Task ATargetThatAnsweredAndThenWentQuiet_IsReportedAsBehind_NotAsUnreachable()
    {
        // CI once saw "does not answer" here: the leader's last status poll of a target that had answered timed out under load.
        using var cluster = await TestCluster.StartProxiedAsync(Regions, region => region with { FailoverEnabled = false, SwitchoverTimeoutSeconds = 3 });
        var (primary, leader, target) = await TargetBehindThePrimaryAsync(cluster);

        var asked = leader.Client.PostAsJsonAsync("api/failover", new { to = target.Name });
        // The leader's first polls get answers; then the target goes quiet for it until the switchover times out.
        await Task.Delay(TimeSpan.FromSeconds(1));
        cluster.Cuts.Cut(leader.Name, target.Name);
        using var answer = await asked;

        var problem = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.True(answer.StatusCode == HttpStatusCode.GatewayTimeout, $"{(int)answer.StatusCode}: {problem.ToJsonString()}");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch((string)problem["detail"]!,
            $@"^{target.Name} did not catch up with {primary.Name} within 3 s \(applied \d+ of [1-9]\d* entries\)\. Nothing changed\.$"),
            $"{problem.ToJsonString()}\n{leader.Name}'s log:\n{leader.Log}");
        await AssertNothingChangedAsync(primary);
    }

    [Fact]
    public async Task FailoverCommand_AwayFromAFrozenPrimary_WaitsOutTheTimeoutForIt_ThenSwitchesOver()
    {
        using var cluster = await TestCluster.StartAsync(Regions, region => region with { FailoverEnabled = false, SwitchoverTimeoutSeconds = 3 });
        var (primary, leader, target) = await LeaderOtherThanThePrimaryAsync(cluster);
        Assert.True(await TestCluster.EventuallyAsync(async () => (bool?)(await primary.HealthAsync())?["accepting_strong_writes"] == true, Soon));

        // Frozen, it may wake with writes to send: the leader waits for it up to the switchover timeout, then takes it as down.
        primary.Pause();
        try
        {
            var (exit, stdout, stderr) = OperatorTests.Cli("failover", "--to", target.Name, "--url", leader.Endpoint.ToString());

            Assert.True(exit == 0, $"{stderr}\n{leader.Name}'s log:\n{leader.Log}\n{target.Name}'s log:\n{target.Log}");
            Assert.Equal($"{target.Name} is the primary of epoch 2 and accepts strong writes.", stdout.Trim());
        }
        finally
        {
            primary.Resume();
        }
        Assert.True(await TestCluster.EventuallyAsync(async () => (await primary.HealthAsync()) is { } health
            && (string?)health["primary"] == target.Name && (bool?)health["accepting_strong_writes"] == false, Soon), primary.Log);
    }

    /// <summary>Makes a region other than the primary the Raft leader (the primary stays primary: failover is off); the third is the target.</summary>
    private static async Task<(RegionNode Primary, RegionNode Leader, RegionNode Target)> LeaderOtherThanThePrimaryAsync(TestCluster cluster)
    {
        var primary = await cluster.PrimaryAsync();
        for (var attempt = 0; attempt < 5 && await LeaderAsync(cluster) == primary.Name; attempt++)
        {
            primary.Kill();
            Assert.True(await TestCluster.EventuallyAsync(async () => await LeaderAsync(cluster) is { } other && other != primary.Name, Soon));
            await primary.StartAsync();
        }
        var leader = cluster[(await LeaderAsync(cluster, except: primary.Name))!];
        return (primary, leader, cluster.Nodes.Single(n => n != primary && n != leader));
    }

    /// <summary>
    /// <see cref="LeaderOtherThanThePrimaryAsync"/>, then cuts the target off from the primary and has the primary write once
    /// more: the target cannot catch up.
    /// </summary>
    private static async Task<(RegionNode Primary, RegionNode Leader, RegionNode Target)> TargetBehindThePrimaryAsync(TestCluster cluster)
    {
        var (primary, leader, target) = await LeaderOtherThanThePrimaryAsync(cluster);
        var id = await ReplicationTests.UploadAsync(primary, Server.Tests.Support.Samples.ProgramElf);
        Assert.True(await TestCluster.EventuallyAsync(async () => (await target.Client.GetAsync($"api/analyses/{id}")).IsSuccessStatusCode, Soon));
        Assert.True(await TestCluster.EventuallyAsync(async () => (bool?)(await primary.HealthAsync())?["accepting_strong_writes"] == true, Soon));

        cluster.Cuts.Cut(primary.Name, target.Name);
        // A PUT, so it may be sent again: under load the primary's lease can lapse for a moment right after the cut (CI saw one 503).
        var answer = "";
        Assert.True(await TestCluster.EventuallyAsync(async () =>
        {
            using var write = await primary.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x10", new { name = "after_the_cut" });
            answer = $"{(int)write.StatusCode} {await write.Content.ReadAsStringAsync()}";
            return write.IsSuccessStatusCode;
        }, Soon), $"the primary's write after the cut: {answer}\n{primary.Log}");
        return (primary, leader, target);
    }

    private static async Task AssertNothingChangedAsync(RegionNode primary)
    {
        var health = (await primary.HealthAsync())!;
        Assert.Equal((primary.Name, 1L), ((string?)health["primary"], (long)health["epoch"]!));
        Assert.True(await TestCluster.EventuallyAsync(async () => (bool?)(await primary.HealthAsync())?["accepting_strong_writes"] == true, Soon), primary.Log);
    }

    [Fact]
    public async Task CutOffPrimarysLastWrite_LosesToTheNewEpoch_AndIsKeptAsAConflictEverywhere()
    {
        using var cluster = await TestCluster.StartProxiedAsync(Regions);
        var old = await cluster.PrimaryAsync();
        var id = await ReplicationTests.UploadAsync(old, Server.Tests.Support.Samples.ProgramElf);
        foreach (var node in cluster.Nodes)
        {
            Assert.True(await TestCluster.EventuallyAsync(async () => (await node.Client.GetAsync($"api/analyses/{id}")).IsSuccessStatusCode, Soon));
        }

        // Cut off, the primary may still hold its lease for a moment: a write acknowledged then cannot reach anyone. The lease is
        // a bound, not a promise: the primary fences itself as soon as a read barrier fails, which on a loaded machine can be
        // before the write arrives or while it is stored (a 503: not accepted, or stored but not acknowledged, which the next
        // attempt then updates: 200). Then the cut is healed and it is tried again, with whoever is primary.
        var oldEpoch = 0L;
        var refusals = new List<string>();
        for (var attempt = 1; ; attempt++)
        {
            oldEpoch = (long)(await old.HealthAsync())!["epoch"]!;
            cluster.Cuts.Isolate(old.Name, Regions);
            using var lost = await old.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x2000", new { name = "acknowledged_then_cut_off" });
            if (lost.IsSuccessStatusCode)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
            refusals.Add(await lost.Content.ReadAsStringAsync());
            Assert.True(attempt < 5, "the cut-off primary fenced itself before the write arrived every time: " + string.Join("\n", refusals));
            cluster.Cuts.HealAll();
            old = await cluster.PrimaryAsync();
        }
        var successor = await cluster.PrimaryAsync(except: old);
        var successorEpoch = (long)(await successor.HealthAsync())!["epoch"]!;
        Assert.True(successorEpoch > oldEpoch, $"the successor's epoch {successorEpoch} after the cut-off primary's {oldEpoch}");
        using (var won = await successor.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x2000", new { name = "written_by_the_new_epoch" }))
        {
            Assert.Equal(HttpStatusCode.Created, won.StatusCode);
        }
        cluster.Cuts.HealAll();

        foreach (var node in cluster.Nodes)
        {
            Assert.True(await TestCluster.EventuallyAsync(async () =>
            {
                var annotation = JsonNode.Parse(await node.Client.GetStringAsync($"api/analyses/{id}/annotations/0x2000"))!;
                var conflicts = JsonNode.Parse(await node.Client.GetStringAsync("api/conflicts"))!["items"]!.AsArray();
                return (string?)annotation["name"] == "written_by_the_new_epoch"
                    && conflicts.Any(c => (string?)c!["lost"]!["name"] == "acknowledged_then_cut_off" && (long)c["lost"]!["epoch"]! == oldEpoch
                        && (long)c["won_epoch"]! == successorEpoch);
            }, Soon), node.Name + ": " + node.Log);
            Assert.Matches(@"(?m)^ghidrainsight_conflicts [1-9]", await node.Client.GetStringAsync("metrics"));
        }
    }

    [Fact]
    public async Task ChangedPrimaryRegion_RolledOutByRestarts_SwitchesOverOnce_WithReasonConfig()
    {
        // Automatic failover off: the only change of primary must come from the configuration.
        using var cluster = await TestCluster.StartAsync(Regions, region => region with { FailoverEnabled = false });
        foreach (var name in new[] { "ap-south-1", "us-east-1", "eu-west-1" })
        {
            var node = cluster[name];
            node.Kill();
            var yaml = await File.ReadAllTextAsync(node.ConfigPath);
            await File.WriteAllTextAsync(node.ConfigPath, yaml.Replace("primary_region: \"us-east-1\"", "primary_region: \"eu-west-1\"", StringComparison.Ordinal));
            await node.StartAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        foreach (var node in cluster.Nodes)
        {
            Assert.True(await TestCluster.EventuallyAsync(async () => (string?)(await node.HealthAsync())?["primary"] == "eu-west-1", Soon), node.Log);
        }
        Assert.True(await TestCluster.EventuallyAsync(async () => (bool?)(await cluster["eu-west-1"].HealthAsync())?["accepting_strong_writes"] == true, Soon));
        var regions = JsonNode.Parse(await cluster["us-east-1"].Client.GetStringAsync("api/regions"))!.AsObject();
        var record = Assert.Single(regions.SelectMany(r => r.Value!["failovers"]!.AsArray()));
        Assert.Equal(("us-east-1", "eu-west-1", 2L, "config"), ((string?)record!["from"], (string?)record["to"], (long)record["epoch"]!, (string?)record["reason"]));
    }

    [Fact]
    public async Task ChangedPrimaryRegion_ReloadedWithoutARestart_SwitchesOverOnce_WithReasonConfig()
    {
        using var cluster = await TestCluster.StartAsync(Regions, region => region with { FailoverEnabled = false });
        var pids = cluster.Nodes.Select(n => n.Pid).ToList();
        foreach (var node in cluster.Nodes)
        {
            var yaml = await File.ReadAllTextAsync(node.ConfigPath);
            await File.WriteAllTextAsync(node.ConfigPath, yaml.Replace("primary_region: \"us-east-1\"", "primary_region: \"eu-west-1\"", StringComparison.Ordinal));
            node.Hangup();
        }

        Assert.True(await TestCluster.EventuallyAsync(async () => (bool?)(await cluster["eu-west-1"].HealthAsync())?["accepting_strong_writes"] == true, Soon),
            string.Join("\n", cluster.Nodes.Select(n => n.Log)));
        foreach (var node in cluster.Nodes)
        {
            Assert.True(await TestCluster.EventuallyAsync(async () => (string?)(await node.HealthAsync())?["primary"] == "eu-west-1", Soon), node.Log);
        }
        Assert.Equal(pids, cluster.Nodes.Select(n => n.Pid));
        var regions = JsonNode.Parse(await cluster["us-east-1"].Client.GetStringAsync("api/regions"))!.AsObject();
        var record = Assert.Single(regions.SelectMany(r => r.Value!["failovers"]!.AsArray()));
        Assert.Equal(("us-east-1", "eu-west-1", 2L, "config"), ((string?)record!["from"], (string?)record["to"], (long)record["epoch"]!, (string?)record["reason"]));
        Assert.Contains("primary_region changed from us-east-1 to eu-west-1", cluster["us-east-1"].Log + cluster["eu-west-1"].Log + cluster["ap-south-1"].Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoRegionsAndAWitness_FailOverWhenThePrimaryDies()
    {
        using var cluster = await TestCluster.StartWithWitnessAsync(["us-east-1", "eu-west-1"]);
        var workload = await FaultWorkload.StartAsync(cluster);
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());

        cluster["us-east-1"].Kill();
        Assert.True(await TestCluster.EventuallyAsync(async () => (bool?)(await cluster["eu-west-1"].HealthAsync())?["accepting_strong_writes"] == true, Soon), workload.Logs());
        Assert.True(await workload.WaitForAcksAsync(20, Soon), workload.Logs());
        await cluster["us-east-1"].StartAsync();
        await workload.StopAsync();

        await workload.CheckAsync(sync: false);
        var witness = (await cluster["witness"].HealthAsync())!;
        Assert.Equal(("witness", "eu-west-1"), ((string?)witness["role"], (string?)witness["primary"]));
        Assert.Equal(HttpStatusCode.NotFound, (await cluster["witness"].Client.GetAsync("api/analyses")).StatusCode);
    }

    [Fact]
    public async Task TwoRegionsWithoutAWitness_WarnAtStart_AndDoNotFailOverOnTheirOwn()
    {
        using var cluster = await TestCluster.StartAsync(["us-east-1", "eu-west-1"], region => region with { FailoverEnabled = true });
        var survivor = cluster["eu-west-1"];
        Assert.True(await TestCluster.EventuallyAsync(() => Task.FromResult(survivor.Log.Contains("Automatic failover is off", StringComparison.Ordinal)), Soon), survivor.Log);

        cluster["us-east-1"].Kill();
        await Task.Delay(TimeSpan.FromSeconds(5));
        using var write = await survivor.Client.PutAsJsonAsync("api/analyses/" + new string('a', 64) + "/annotations/0x10", new { name = "x" });

        var health = (await survivor.HealthAsync())!;
        Assert.Equal(("us-east-1", 1L), ((string?)health["primary"], (long)health["epoch"]!));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
    }

    private static async Task<string?> LeaderAsync(TestCluster cluster, string? except = null)
    {
        string? leader = null;
        await TestCluster.EventuallyAsync(async () =>
        {
            foreach (var node in cluster.Nodes.Where(n => n.Running))
            {
                if ((string?)(await node.HealthAsync())?["leader"] is { } name && name != except)
                {
                    leader = name;
                    return true;
                }
            }
            return false;
        }, Soon);
        return leader;
    }
}
