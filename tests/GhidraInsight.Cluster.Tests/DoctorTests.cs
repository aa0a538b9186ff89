using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Cluster.Tests.Support;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// <c>ghidrainsight doctor</c> on real region processes: every check passes on a healthy deployment, and each thing the operator
/// guide's troubleshooting looks for, broken on purpose, fails the line that names it (and the region), with a fix.
/// </summary>
public sealed class DoctorTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);
    private const string FakeTime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

    private static readonly string[] Checks =
        ["configuration", "reachability", "region secret", "clocks", "replication", "outbox retention", "primary", "consensus leader", "disk space"];

    [Fact]
    public async Task EachBrokenThing_FailsItsOwnLine_NamingTheRegionAndTheFix()
    {
        Assert.True(File.Exists(FakeTime), $"{FakeTime} is missing: install Debian's faketime (.ci/run does)");
        using var cluster = await TestCluster.StartAsync("us-east-1", "eu-west-1", "ap-south-1");
        var asked = cluster["eu-west-1"];
        var broken = cluster["ap-south-1"];
        var healthy = await HealthyAsync(asked);
        Assert.Equal(Checks, healthy.Select(l => l[2..l.IndexOf(':', StringComparison.Ordinal)]));

        // A config file edited into something invalid: the region refuses the reload and runs on, and doctor says which one.
        var config = await File.ReadAllTextAsync(broken.ConfigPath);
        await File.WriteAllTextAsync(broken.ConfigPath, config.Replace("cache_entries: 256", "cache_entries: lots", StringComparison.Ordinal));
        broken.Hangup();
        var line = await FailingLineAsync(asked, "configuration");
        Assert.Contains("ap-south-1 refused its last reload", line, StringComparison.Ordinal);
        Assert.Contains("storage.cache_entries", line, StringComparison.Ordinal);
        // The same file given to doctor itself.
        var local = Doctor(asked, "--config", broken.ConfigPath);
        Assert.Contains($"✗ configuration: {broken.ConfigPath}: ", local.Stdout, StringComparison.Ordinal);
        await File.WriteAllTextAsync(broken.ConfigPath, config);
        broken.Hangup();
        await HealthyAsync(asked);

        // Another region secret: the others refuse its signed requests (and it theirs).
        await RestartAsync(broken, ("GHIDRA_REGION__SECRET", "a-different-secret-of-enough-length-0123456789abcdef"));
        line = await FailingLineAsync(asked, "region secret");
        Assert.Contains("ap-south-1 refuses eu-west-1's signed requests (answered 401: bad_signature)", line, StringComparison.Ordinal);
        await RestartAsync(broken);
        await HealthyAsync(asked);

        // A clock ten minutes ahead: outside the signing window, and doctor says by how much.
        await RestartAsync(broken, ("LD_PRELOAD", FakeTime), ("FAKETIME", "+10m"), ("FAKETIME_DONT_FAKE_MONOTONIC", "1"));
        line = await FailingLineAsync(asked, "clocks");
        Assert.Matches(@"ap-south-1's clock is (59\d|60\d)\.\d s ahead of eu-west-1's", line);
        Assert.Contains("signing window", line, StringComparison.Ordinal);
        await RestartAsync(broken);
        await HealthyAsync(asked);

        // A data folder short of its reserve.
        await RestartAsync(broken, ("GHIDRA_STORAGE__RESERVE_BYTES", "1000000000000000000"));
        line = await FailingLineAsync(asked, "disk space");
        Assert.Contains("ap-south-1 has ", line, StringComparison.Ordinal);
        Assert.Contains("below its", line, StringComparison.Ordinal);
        await RestartAsync(broken);
        await HealthyAsync(asked);

        // One region that cannot reach another, seen from a third: eu-west-1 has a wrong endpoint for ap-south-1.
        var euConfig = await File.ReadAllTextAsync(asked.ConfigPath);
        var closed = FreePorts.ConsecutiveBlock(1);
        await File.WriteAllTextAsync(asked.ConfigPath, euConfig.Replace($"ap-south-1: \"{broken.Endpoint.ToString().TrimEnd('/')}\"",
            $"ap-south-1: \"http://127.0.0.1:{closed}\"", StringComparison.Ordinal));
        await RestartAsync(asked);
        line = await FailingLineAsync(cluster["us-east-1"], "reachability");
        Assert.Contains($"eu-west-1 cannot reach ap-south-1: cannot reach http://127.0.0.1:{closed}/", line, StringComparison.Ordinal);
        await File.WriteAllTextAsync(asked.ConfigPath, euConfig);
        await RestartAsync(asked);
        await HealthyAsync(asked);

        // A frozen region falls behind: lag and pending over the limits.
        var primary = await cluster.PrimaryAsync();
        var id = await ReplicationTests.UploadAsync(primary, Samples.ProgramElf);
        Assert.True(await TestCluster.EventuallyAsync(async () => (await broken.Client.GetAsync($"api/analyses/{id}")).IsSuccessStatusCode, Soon));
        broken.Pause();
        try
        {
            using (var put = await primary.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x10", new { name = "behind" }))
            {
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            }
            await Task.Delay(TimeSpan.FromMilliseconds(1500));
            line = await FailingLineAsync(asked, "replication");
            Assert.Matches(@"→ ap-south-1: lag \d+\.\d s, \d+ pending", line);
        }
        finally
        {
            broken.Resume();
        }
        await HealthyAsync(asked);
    }

    [Fact]
    public async Task PastTheOutboxRetention_AndWithoutAMajority_TheRetentionPrimaryAndLeaderLinesFail()
    {
        using var cluster = await TestCluster.StartAsync(["us-east-1", "eu-west-1", "ap-south-1"], region => region with { OutboxMaxEntries = 40 });
        var primary = await cluster.PrimaryAsync();
        await HealthyAsync(primary);
        var away = cluster.DataNodes.First(n => n != primary);
        var id = await ReplicationTests.UploadAsync(primary, Samples.ProgramElf);
        Assert.True(await TestCluster.EventuallyAsync(async () => (await away.Client.GetAsync($"api/analyses/{id}")).IsSuccessStatusCode, Soon));
        away.Kill();
        await OutboxRetentionTests.WriteAnnotationsAsync(primary, id, count: 60);

        var line = await FailingLineAsync(primary, "outbox retention");
        Assert.Contains($"{primary.Name} no longer keeps what {away.Name} has not received", line, StringComparison.Ordinal);

        // Two of three gone: no Raft majority, so no leader and, once the lease lapses, no primary.
        cluster.DataNodes.Single(n => n != primary && n != away).Kill();
        line = await FailingLineAsync(primary, "consensus leader");
        Assert.Contains($"no Raft leader known to {primary.Name}", line, StringComparison.Ordinal);
        line = await FailingLineAsync(primary, "primary");
        Assert.Contains("no region accepts strong writes", line, StringComparison.Ordinal);
        var json = JsonNode.Parse(Doctor(primary, "--json").Stdout)!;
        Assert.False((bool)json["ok"]!);
        Assert.Contains(json["checks"]!.AsArray(), c => (string?)c!["name"] == "primary" && !(bool)c["ok"]! && ((string?)c["fix"])!.Length > 0);
    }

    /// <summary>Runs doctor against <paramref name="node"/>'s URL.</summary>
    private static (int ExitCode, string Stdout, string Stderr) Doctor(RegionNode node, params string[] more) => Doctor(node.Endpoint.ToString(), more);

    /// <summary>Runs doctor against <paramref name="url"/> (a region or the gateway).</summary>
    internal static (int ExitCode, string Stdout, string Stderr) Doctor(string url, params string[] more) => CliStart.Run(null, ["doctor", "--url", url, .. more]);

    private static Task<string[]> HealthyAsync(RegionNode node) => HealthyAsync(node.Endpoint.ToString());

    private static Task<string> FailingLineAsync(RegionNode node, string name) => FailingLineAsync(node.Endpoint.ToString(), name);

    /// <summary>Waits until every check passes (exit 0, a ✓ per line); the lines.</summary>
    internal static async Task<string[]> HealthyAsync(string node)
    {
        (int ExitCode, string Stdout, string Stderr) last = default;
        Assert.True(await TestCluster.EventuallyAsync(() => Task.FromResult((last = Doctor(node)).ExitCode == 0), Soon),
            $"doctor never passed:\n{last.Stdout}{last.Stderr}");
        var lines = last.Stdout!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.StartsWith("✓ ", l, StringComparison.Ordinal));
        return lines;
    }

    /// <summary>Waits until the check <paramref name="name"/> fails (exit 1); that line, with its fix.</summary>
    internal static async Task<string> FailingLineAsync(string node, string name, string? containing = null)
    {
        (int ExitCode, string Stdout, string Stderr) last = default;
        var prefix = $"✗ {name}: ";
        Assert.True(await TestCluster.EventuallyAsync(() => Task.FromResult((last = Doctor(node)).Stdout.Split('\n').Any(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(containing ?? "", StringComparison.Ordinal))), Soon),
            $"the {name} check never failed:\n{last.Stdout}{last.Stderr}");
        Assert.Equal(1, last.ExitCode);
        var lines = last.Stdout!.Split('\n');
        var index = Array.FindIndex(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Contains(containing ?? "", lines[index], StringComparison.Ordinal);
        Assert.StartsWith("    fix: ", lines[index + 1], StringComparison.Ordinal);
        return lines[index];
    }

    private static async Task RestartAsync(RegionNode node, params (string Name, string Value)[] environment)
    {
        node.Kill();
        node.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            node.Environment[name] = value;
        }
        await node.StartAsync();
    }
}
