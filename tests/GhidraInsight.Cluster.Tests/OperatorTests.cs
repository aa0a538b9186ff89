using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GhidraInsight.Cluster.Tests.Support;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Cluster.Tests;

/// <summary>What an operator runs: <c>ghidrainsight up</c>, <c>ghidrainsight regions</c>, /health, /metrics.</summary>
public sealed partial class OperatorTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Regions_ShowsEveryRegionWithHealthLatencyRoleAndLag_AndMarksADeadOne()
    {
        using var cluster = await TestCluster.StartAsync("us-east-1", "eu-west-1", "ap-south-1");
        var url = cluster["eu-west-1"].Endpoint.ToString();
        Assert.True(await TestCluster.EventuallyAsync(async () => Cli("regions", "--url", url).Stdout.Split('\n').Count(l => l.Contains('✓')) == 3, Soon));

        var (exit, stdout, _) = Cli("regions", "--url", url);
        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(RegionLine(), lines.Single(l => l.StartsWith("us-east-1:", StringComparison.Ordinal)));
        Assert.Contains(" primary ", lines.Single(l => l.StartsWith("us-east-1:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(" replica ", lines.Single(l => l.StartsWith("ap-south-1:", StringComparison.Ordinal)), StringComparison.Ordinal);

        var best = JsonNode.Parse(await cluster["eu-west-1"].Client.GetStringAsync("api/regions/best"))!;
        Assert.Contains((string?)best["region"], new[] { "us-east-1", "ap-south-1" });

        cluster["ap-south-1"].Kill();
        Assert.True(await TestCluster.EventuallyAsync(() => Task.FromResult(Cli("regions", "--url", url).Stdout.Contains("ap-south-1: ✗", StringComparison.Ordinal)), Soon));
        // A dead region is never the best one.
        Assert.Equal("us-east-1", (string?)JsonNode.Parse(await cluster["eu-west-1"].Client.GetStringAsync("api/regions/best"))!["region"]);
        var json = JsonNode.Parse(Cli("regions", "--url", url, "--json").Stdout)!;
        Assert.False((bool)json["ap-south-1"]!["healthy"]!);
        Assert.NotNull((string?)json["ap-south-1"]!["error"]);
    }

    [Fact]
    public async Task HealthAndMetrics_ReportReplicationPerTarget_InValidPrometheusText()
    {
        using var cluster = await TestCluster.StartAsync("us-east-1", "eu-west-1", "ap-south-1");
        await ReplicationTests.UploadAsync(cluster["us-east-1"], Samples.ProgramElf);
        var health = JsonNode.Parse(await cluster["us-east-1"].Client.GetStringAsync("health"))!;
        Assert.Equal("primary", (string?)health["role"]);
        Assert.NotNull(health["replication"]!["eu-west-1"]!["lag_ms"]);
        Assert.NotNull(health["replication"]!["ap-south-1"]!["pending"]);
        Assert.Equal("replica", (string?)JsonNode.Parse(await cluster["eu-west-1"].Client.GetStringAsync("health"))!["role"]);

        Assert.True(await TestCluster.EventuallyAsync(async () => MetricsText.Sum(await cluster["us-east-1"].Client.GetStringAsync("metrics"), "ghidrainsight_region_healthy") == 3, Soon));
        var text = await cluster["us-east-1"].Client.GetStringAsync("metrics");
        foreach (var name in new[] { "ghidrainsight_cross_region_latency_seconds", "ghidrainsight_replication_lag_seconds", "ghidrainsight_replication_pending", "ghidrainsight_failover_events_total" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
        Assert.True(await TestCluster.EventuallyAsync(async () =>
            MetricsText.Sum(await cluster["eu-west-1"].Client.GetStringAsync("metrics"), "ghidrainsight_replication_entries_applied_total") >= 1, Soon));
        var check = ExternalTool.RunWithInput("promtool", text, "check", "metrics");
        Assert.True(check.ExitCode == 0, check.Output);
    }

    [Fact]
    public async Task Up_StartsEveryRegion_Replicates_StopsOnSigterm_AndKeepsData()
    {
        using var folder = new TempFolder("ghidrainsight-up-");
        var data = folder.Path;
        var port = FreePorts.ConsecutiveBlock(4);
        string id;
        using (var up = UpProcess.Start(data, port))
        {
            var ready = await up.ReadyLinesAsync(3);
            Assert.Equal(["us-east-1", "eu-west-1", "ap-south-1"], ready.Select(l => l.Split(' ')[0]));
            Assert.All(["us-east-1", "eu-west-1", "ap-south-1"], r => Assert.True(File.Exists(Path.Combine(data, r, "config.yaml"))));
            using var east = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var south = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + 2}") };
            id = (string)JsonNode.Parse(await (await east.PostAsync("api/analyze", ReplicationTests.Binary(Samples.ProgramElf))).Content.ReadAsStringAsync())!["analysis_id"]!;
            Assert.True(await TestCluster.EventuallyAsync(async () => (await south.GetAsync($"api/analyses/{id}")).IsSuccessStatusCode, Soon));
            Assert.Equal(0, up.Terminate());
        }
        // A region can be run by hand from the config up wrote, with the data up left.
        using var node = new RegionNode("ap-south-1", Path.Combine(data, "ap-south-1", "config.yaml"), new Uri($"http://127.0.0.1:{port + 2}"));
        await node.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await node.Client.GetAsync($"api/analyses/{id}")).StatusCode);
    }

    [Fact]
    public async Task Up_SaysUpOnlyOnceEveryRegionSeesEveryOther_SoRegionsRightAfterShowsEveryRegionHealthyAndThePrimary()
    {
        using var folder = new TempFolder("ghidrainsight-up-");
        var data = folder.Path;
        var port = FreePorts.ConsecutiveBlock(4);
        using var up = UpProcess.Start(data, port);

        var lines = await up.LinesUntilUpAsync();
        // Right after: from a region, and through the gateway (its own view of the regions).
        foreach (var url in new[] { $"http://127.0.0.1:{port + 1}", $"http://127.0.0.1:{port + 3}" })
        {
            using var regions = CliStart.Start("regions", "--url", url);
            var output = await regions.StandardOutput.ReadToEndAsync();
            await regions.WaitForExitAsync();
            Assert.Equal(0, regions.ExitCode);
            // One line per region; a "failovers:" list may follow (an election on a loaded machine can move the primary at start).
            var statusLines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeWhile(l => l != "failovers:").ToArray();
            Assert.True(statusLines.Length == 3, output);
            Assert.All(statusLines, line => Assert.Contains(": ✓ (", line, StringComparison.Ordinal));
            // The primary too, through the gateway as from a region (the gateway's probes may predate the election).
            Assert.Single(statusLines, line => line.Contains("  primary (epoch ", StringComparison.Ordinal));
        }

        Assert.Equal($"gateway ready on http://127.0.0.1:{port + 3}/ (in front of 3 regions)", lines[^2]);
        Assert.StartsWith($"GhidraInsight is up at http://127.0.0.1:{port + 3}/ (the gateway): 3 regions, primary ", lines[^1], StringComparison.Ordinal);
        Assert.Equal(0, up.Terminate());
    }

    [Fact]
    public async Task Up_ReportsARegionThatDies_AndKeepsTheOthersServing()
    {
        using var folder = new TempFolder("ghidrainsight-up-");
        var data = folder.Path;
        var port = FreePorts.ConsecutiveBlock(4);
        using var up = UpProcess.Start(data, port);
        await up.ReadyLinesAsync(3);
        using var east = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var west = up.ChildPids().Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("eu-west-1", StringComparison.Ordinal));

        Process.GetProcessById(west).Kill();

        Assert.True(await TestCluster.EventuallyAsync(() => Task.FromResult(up.Stderr.Contains("region eu-west-1 exited", StringComparison.Ordinal)), Soon), up.Stderr);
        Assert.Equal(HttpStatusCode.OK, (await east.GetAsync("health/live")).StatusCode);
        // Two regions and the gateway.
        Assert.Equal(3, up.ChildPids().Count);
        var exit = up.Terminate();
        Assert.True(exit == 0, $"up exited with {exit}:\n{up.Stderr}");
    }

    [Fact]
    public async Task Up_CtrlCToItsWholeProcessGroup_StopsEveryRegionCleanly()
    {
        using var folder = new TempFolder("ghidrainsight-up-");
        var data = folder.Path;
        using var up = UpProcess.Start(data, FreePorts.ConsecutiveBlock(4), ownProcessGroup: true);
        await up.ReadyLinesAsync(3);

        // A terminal sends SIGINT to up and to every region; up then sends each region SIGTERM as well.
        var exit = up.InterruptGroup();

        Assert.True(exit == 0, $"up exited with {exit}:\n{up.Stderr}");
        Assert.Contains("ghidrainsight: the gateway and every region stopped", up.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", up.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", up.Stderr, StringComparison.Ordinal);
    }

    internal static (int Exit, string Stdout, string Stderr) Cli(params string[] args) => CliStart.Run(null, args);

    [GeneratedRegex(@"^[a-z0-9-]+: [✓✗] \([0-9.]+ms\)  (primary \(epoch [0-9]+\)|replica)  lag [0-9]+ms$")]
    private static partial Regex RegionLine();
}
