using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Cluster.Tests.Support;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// <c>ghidrainsight up --storage postgres</c> as a user runs it: three etcd members, three Patroni-managed PostgreSQL 15 and
/// three regions on them, the gateway in front; under the fault tests' continuous writer, a primary database killed, another
/// frozen, both back as replicas, and nothing acknowledged lost; switchovers by command and by configuration; replication_mode
/// reloaded; Ctrl+C stops every part, and a restart finds the data.
/// </summary>
public sealed class PostgresUpTests
{
    private static readonly string[] Names = ["us-east-1", "eu-west-1", "ap-south-1"];

    [Fact]
    public async Task UpOnPostgres_ServesEverywhere_SurvivesThePrimaryDatabaseKilledAndFrozen_LosesNoAcknowledgedWrite_AndRestartsWithItsData()
    {
        using var folder = new PostgresUpFolder("ghidrainsight-up-postgres-");
        var data = folder.Path;
        var port = FreePorts.ConsecutiveBlockWithOffsets(4, 100, 200, 300, 400);
        using var up = UpProcess.Start(data, port, ownProcessGroup: true, "--storage", "postgres");
        var lines = await up.LinesUntilUpAsync();
        Assert.True(lines.Count > 0 && lines[^1].StartsWith("GhidraInsight is up at ", StringComparison.Ordinal), string.Join('\n', lines) + "\n" + up.Stderr);
        foreach (var name in Names)
        {
            Assert.Contains(lines, l => l.StartsWith($"{name}: PostgreSQL on 127.0.0.1:", StringComparison.Ordinal));
        }

        using var gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + 3}/"), Timeout = TimeSpan.FromSeconds(30) };
        var regions = Names.Select((name, i) => (name, client: new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + i}/") })).ToDictionary(r => r.name, r => r.client);
        var engines = EnginePids(up, data);
        IReadOnlyList<IRegionUnderTest> upRegions = [.. Names.Select((name, i) => new UpRegion(up, data, name, port + i))];
        try
        {
            // An upload through the gateway, read in every region; an annotation at a replica region, read everywhere.
            using var binary = new ByteArrayContent(await File.ReadAllBytesAsync("/usr/bin/true"));
            binary.Headers.ContentType = new("application/octet-stream");
            using var uploaded = await gateway.PostAsync("api/analyze", binary);
            var uploadBody = await uploaded.Content.ReadAsStringAsync();
            Assert.True(uploaded.IsSuccessStatusCode, uploadBody + "\n" + string.Join('\n', up.Stderr.Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("xception", StringComparison.Ordinal)).Take(20)));
            var id = (string)JsonNode.Parse(uploadBody)!["analysis_id"]!;
            var primary = (string)JsonNode.Parse(await gateway.GetStringAsync("health"))!["primary"]!;
            var replica = Names.First(n => n != primary);
            using var annotated = await regions[replica].PutAsJsonAsync($"api/analyses/{id}/annotations/0x1000", new { name = "entry" });
            Assert.True(annotated.StatusCode == HttpStatusCode.Created, await annotated.Content.ReadAsStringAsync());
            foreach (var (name, client) in regions)
            {
                await EventuallyAsync(async () => (await client.GetAsync($"api/analyses/{id}/annotations/0x1000")).IsSuccessStatusCode, $"the annotation at {name}");
            }

            // From here on, the fault tests' continuous writer: strong writes asked of each region in turn, uploads, epochs sampled.
            var workload = await FaultWorkload.StartAsync(() => upRegions, () => FaultWorkload.Tail(up.Stderr));
            Assert.True(await workload.WaitForAcksAsync(5, TimeSpan.FromSeconds(30)), workload.Logs());

            // The primary's Patroni and PostgreSQL SIGKILLed: strong writes through the gateway resume at a new primary, and the old
            // one (its Patroni restarted by up) comes back as a replica.
            var postmaster = Postmaster(data, primary);
            Kill(engines[$"{primary}.patroni"]);
            Kill(postmaster);
            await EventuallyAsync(async () =>
            {
                using var write = await gateway.PutAsJsonAsync($"api/analyses/{id}/annotations/0x2000", new { name = "after" });
                return write.IsSuccessStatusCode;
            }, "a strong write after the primary database was killed", seconds: 90);
            // The write landed at the new primary; the gateway names it within a probe interval.
            string? successor = null;
            await EventuallyAsync(async () => (successor = (string?)JsonNode.Parse(await gateway.GetStringAsync("health"))!["primary"]) != primary,
                "the gateway naming a new primary");
            await EventuallyAsync(async () =>
            {
                var health = JsonNode.Parse(await (await regions[primary].GetAsync("health")).Content.ReadAsStringAsync())!;
                return (string?)health["role"] == "replica" && (string?)health["primary"] == successor;
            }, $"{primary} back as a replica", seconds: 90);
            await EventuallyAsync(async () => (await regions[primary].GetAsync($"api/analyses/{id}/annotations/0x2000")).IsSuccessStatusCode,
                $"the write made after the failover, read at {primary}");
            Assert.Contains($"Patroni of {primary} exited", up.Stderr, StringComparison.Ordinal);

            // SIGSTOP of the new primary's whole PostgreSQL, its Patroni left running: Patroni replaces it, strong writes resume at
            // another region, and thawed it rejoins as a replica instead of leading again.
            // First a synchronous standby: without one, Patroni in synchronous mode rightly promotes no one (the frozen primary
            // may hold commits nobody else has), and strong writes wait for the primary to thaw.
            await SyncStandbyAsync(gateway, port);
            var frozen = ProcessTree.Freeze(Postmaster(data, successor!));
            string? third = null;
            try
            {
                await EventuallyAsync(async () =>
                {
                    using var write = await gateway.PutAsJsonAsync($"api/analyses/{id}/annotations/0x3000", new { name = "after-freeze" });
                    return write.IsSuccessStatusCode;
                }, "a strong write after the primary database was frozen", seconds: 90);
                await EventuallyAsync(async () => (third = (string?)JsonNode.Parse(await gateway.GetStringAsync("health"))!["primary"]) is { } now && now != successor,
                    "the gateway naming a primary other than the frozen one");
            }
            finally
            {
                ProcessTree.Thaw(frozen);
            }

            await EventuallyAsync(async () =>
            {
                var health = JsonNode.Parse(await (await regions[successor!].GetAsync("health")).Content.ReadAsStringAsync())!;
                return (string?)health["role"] == "replica" && (string?)health["primary"] == third;
            }, $"{successor} back as a replica after it was thawed", seconds: 90);

            // Synchronous mode: no acknowledged write is lost, one region accepted strong writes per timeline, and every region
            // (the old primary too, rewound) converges on the same annotations and holds every acknowledged upload.
            Assert.True(await workload.WaitForAcksAsync(5, TimeSpan.FromSeconds(30)), workload.Logs());
            await workload.StopAsync();
            await workload.CheckAsync(sync: true);
            Assert.True(workload.Acks.Select(a => a.Epoch).Distinct().Count() >= 3, "strong writes were not acknowledged before, between and after the failovers");

            // `ghidrainsight failover --to` is a Patroni switchover (in synchronous mode Patroni takes only the synchronous standby).
            var chosen = await SyncStandbyAsync(gateway, port);
            var (exit, stdout, stderr) = OperatorTests.Cli("failover", "--to", chosen, "--url", gateway.BaseAddress!.ToString());
            Assert.True(exit == 0, stdout + stderr);
            Assert.StartsWith($"Patroni switched over to {chosen} (", stdout.Trim(), StringComparison.Ordinal);
            Assert.Contains($"it is the primary of epoch ", stdout, StringComparison.Ordinal);
            await EventuallyAsync(async () => (string?)JsonNode.Parse(await gateway.GetStringAsync("health"))!["primary"] == chosen, $"the gateway naming {chosen}");

            // A changed primary_region (every region's config.yaml, then SIGHUP to up, which passes it on) becomes a Patroni
            // switchover. In synchronous mode Patroni switches over only to the synchronous standby, so the new value names it;
            // and it must differ from the value up configured (us-east-1): if that is the standby, a manual switchover first.
            var target = await SyncStandbyAsync(gateway, port);
            if (target == Names[0])
            {
                Assert.Equal(0, OperatorTests.Cli("failover", "--to", target, "--url", gateway.BaseAddress!.ToString()).Exit);
                target = await SyncStandbyAsync(gateway, port);
            }

            foreach (var name in Names)
            {
                var config = Path.Combine(data, name, "config.yaml");
                var text = await File.ReadAllTextAsync(config);
                await File.WriteAllTextAsync(config, System.Text.RegularExpressions.Regex.Replace(text, @"primary_region: .*", $"primary_region: {target}"));
            }

            up.Hangup();
            await EventuallyAsync(async () => (string?)JsonNode.Parse(await gateway.GetStringAsync("health"))!["primary"] == target,
                $"the primary switched over to {target}, as configured", seconds: 60);
            // Recorded as a change by configuration where a region saw its own configuration change before the switchover ended
            // (under load a region may reload after that, and then records only that the primary moved).
            Assert.Contains(await Task.WhenAll(regions.Values.Select(r => r.GetStringAsync("api/regions"))), h => h.Contains("\"config\"", StringComparison.Ordinal));
            successor = target;

            // replication_mode reloaded to async: the primary region turns Patroni's synchronous mode off.
            foreach (var name in Names)
            {
                var config = Path.Combine(data, name, "config.yaml");
                var text = await File.ReadAllTextAsync(config);
                Assert.Contains("replication_mode: sync\n", text, StringComparison.Ordinal);
                await File.WriteAllTextAsync(config, text.Replace("replication_mode: sync\n", "replication_mode: async\n", StringComparison.Ordinal));
            }

            up.Hangup();
            await EventuallyAsync(async () => (bool?)JsonNode.Parse(await gateway.GetStringAsync($"http://127.0.0.1:{port + 200}/config"))!["synchronous_mode"] == false,
                "Patroni's synchronous mode off after replication_mode: async was reloaded");

            // Ctrl+C: the gateway, the regions, then Patroni (and PostgreSQL) and etcd stop.
            var running = EnginePids(up, data).Values.Append(Postmaster(data, successor!)).ToList();
            Assert.Equal(0, up.InterruptGroup());
            Assert.Contains("Patroni, PostgreSQL and etcd stopped", up.Stderr, StringComparison.Ordinal);
            Assert.All(running, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} still runs after Ctrl+C"));

            // Started again on the same --data: Patroni and etcd keep their data, and what was written is read in every region.
            using var again = UpProcess.Start(data, port, ownProcessGroup: true, "--storage", "postgres");
            var restarted = await again.LinesUntilUpAsync();
            Assert.True(restarted.Count > 0 && restarted[^1].StartsWith("GhidraInsight is up at ", StringComparison.Ordinal),
                string.Join('\n', restarted) + "\n" + again.Stderr + "\nWho led, as the regions saw it (last):\n" + LeaderLines(again.Stderr));
            foreach (var (name, client) in regions)
            {
                await EventuallyAsync(async () => (await client.GetAsync($"api/analyses/{id}/annotations/0x3000")).IsSuccessStatusCode, $"the annotation at {name} after a restart");
            }

            Assert.Equal(0, again.InterruptGroup());
        }
        finally
        {
            foreach (var client in regions.Values)
            {
                client.Dispose();
            }

            foreach (var region in upRegions.Cast<UpRegion>())
            {
                region.Dispose();
            }

            // Up first; then the folder stops whatever a failed run left (a database whose Patroni was killed) and goes.
            up.Dispose();
        }
    }

    /// <summary>The lines of <paramref name="stderr"/> on who leads, for a failure message whose start a CI log may cut.</summary>
    private static string LeaderLines(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => l.Contains("Primary changed", StringComparison.Ordinal)
            || l.Contains("accepts strong writes", StringComparison.Ordinal) || l.Contains("no leader", StringComparison.Ordinal)
            || l.Contains("Patroni at", StringComparison.Ordinal) || l.Contains("exited", StringComparison.Ordinal)
            || l.Contains("lock", StringComparison.Ordinal) || l.Contains("promot", StringComparison.Ordinal)).TakeLast(30));

    /// <summary>Patroni's synchronous standby, once there is one (read from the first region's Patroni).</summary>
    private static async Task<string> SyncStandbyAsync(HttpClient http, int port)
    {
        string? standby = null;
        await EventuallyAsync(async () =>
        {
            var members = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port + 200}/cluster"))!["members"]!.AsArray();
            standby = members.Where(m => (string?)m!["role"] == "sync_standby" && (string?)m["state"] is "running" or "streaming")
                .Select(m => (string?)m!["name"]).FirstOrDefault();
            return standby is not null;
        }, "a synchronous standby");
        return standby!;
    }

    /// <summary>The etcd and Patroni processes up started, by what they run for (<c>REGION.etcd</c>, <c>REGION.patroni</c>).</summary>
    private static Dictionary<string, int> EnginePids(UpProcess up, string data)
    {
        var pids = new Dictionary<string, int>();
        foreach (var pid in up.ChildPids())
        {
            var command = File.Exists($"/proc/{pid}/cmdline") ? File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ') : "";
            foreach (var name in Names)
            {
                if (command.Contains(Path.Combine(data, "postgres", $"{name}.patroni.yml"), StringComparison.Ordinal))
                {
                    pids[$"{name}.patroni"] = pid;
                }
                else if (command.Contains($"--name {name} ", StringComparison.Ordinal) && command.Contains("etcd", StringComparison.Ordinal))
                {
                    pids[$"{name}.etcd"] = pid;
                }
            }
        }

        Assert.Equal(6, pids.Count);
        return pids;
    }

    private static int Postmaster(string data, string region) =>
        int.Parse(File.ReadLines(Path.Combine(data, "postgres", $"{region}.pg", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    private static void Kill(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not yet: a region down, or a request that waited on a frozen database until the client gave up.
            }

            await Task.Delay(250);
        }

        Assert.Fail($"not within {seconds} s: {what}");
    }
}
