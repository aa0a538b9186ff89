using System.Diagnostics;
using System.Text.Json.Nodes;
using GhidraInsight.Cluster.Tests.Support;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// <c>ghidrainsight drill</c> on <c>ghidrainsight up</c>: a switchover away and back, then a kill of the primary's process that up
/// restarts; every acknowledged canary ends in every region and is removed; an unhealthy deployment is refused.
/// </summary>
public sealed class DrillTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BothKinds_MoveThePrimaryAndBack_LoseNoAcknowledgedCanary_AndAnUnhealthyDeploymentIsRefused()
    {
        using var folder = new TempFolder("ghidrainsight-drill-");
        var data = folder.Path;
        var port = FreePorts.ConsecutiveBlock(4);
        using var up = UpProcess.Start(data, port);
        Assert.Contains(await up.LinesUntilUpAsync(), l => l.StartsWith("GhidraInsight is up", StringComparison.Ordinal));
        var gateway = $"http://127.0.0.1:{port + 3}/";

        var unknown = CliStart.Run(null, "drill", "--url", gateway, "--to", "mars-1");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--to mars-1: no such region", unknown.Stderr, StringComparison.Ordinal);

        await DoctorTests.HealthyAsync(gateway);
        var switchover = Drill(gateway, "--json");
        Assert.Equal("switchover", (string?)switchover["kind"]);
        Assert.Equal("us-east-1", (string?)switchover["from"]);
        Assert.Contains((string?)switchover["to"], new[] { "eu-west-1", "ap-south-1" });
        Assert.Equal("us-east-1", await PrimaryAsync(gateway));

        await DoctorTests.HealthyAsync(gateway);
        var before = up.ChildPids();
        var killed = (int)(await DiagnosticsAsync(gateway))["regions"]!["us-east-1"]!["report"]!["process_id"]!;
        var kill = Drill(gateway, "--kill", "--json");
        Assert.Equal("kill", (string?)kill["kind"]);
        Assert.Contains(kill["steps"]!.AsArray(), s => ((string?)s)!.Contains("us-east-1 restarted by up and serving", StringComparison.Ordinal));
        Assert.NotEqual("us-east-1", (string?)kill["to"]);
        Assert.Equal("us-east-1", await PrimaryAsync(gateway));
        // up runs as many processes as before, the killed one replaced.
        Assert.Equal(before.Count, up.ChildPids().Count);
        Assert.DoesNotContain(killed, up.ChildPids());

        // A region down: the drill does not start, and says what doctor found.
        var replica = (int)(await DiagnosticsAsync(gateway))["regions"]!["ap-south-1"]!["report"]!["process_id"]!;
        using (var process = Process.GetProcessById(replica))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        (int ExitCode, string Stdout, string Stderr) refused = default;
        Assert.True(await TestCluster.EventuallyAsync(() => Task.FromResult((refused = CliStart.Run(null, "drill", "--url", gateway)).ExitCode == 1), Soon),
            refused.Stdout + refused.Stderr);
        Assert.Contains("drill refused: the deployment is not healthy", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("✗ reachability: ", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("canary", refused.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Runs a drill that must pass; its JSON report, every acknowledged canary in every region and removed again.</summary>
    private static JsonNode Drill(string gateway, params string[] more)
    {
        var (exit, stdout, stderr) = CliStart.Run(null, ["drill", "--url", gateway, .. more]);
        Assert.True(exit == 0, $"drill {string.Join(' ', more)} failed ({exit}):\n{stdout}{stderr}");
        var report = JsonNode.Parse(stdout)!;
        Assert.True((bool)report["passed"]!);
        Assert.True((int)report["canaries_acknowledged"]! > 0);
        Assert.Equal(3, report["canaries_missing"]!.AsObject().Count);
        Assert.All(report["canaries_missing"]!.AsObject(), m => Assert.Equal(0, (int)m.Value!));
        Assert.True((bool)report["canaries_removed"]!);
        Assert.True((double)report["unavailable_ms"]! > 0);
        return report;
    }

    private static async Task<JsonNode> DiagnosticsAsync(string url)
    {
        using var http = new HttpClient();
        return JsonNode.Parse(await http.GetStringAsync(new Uri(new Uri(url), "api/diagnostics")))!;
    }

    private static async Task<string?> PrimaryAsync(string url)
    {
        var regions = (await DiagnosticsAsync(url))["regions"]!.AsObject();
        return regions.Select(r => r.Value!["report"]).Where(r => r is not null && (bool)r["accepting_strong_writes"]!).Select(r => (string?)r!["region"]).SingleOrDefault();
    }
}
