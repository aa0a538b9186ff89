using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// Three regions on PostgreSQL under a real Patroni cluster (three etcd members, synchronous mode): the primary region is the
/// one whose database leads, the epoch is the timeline, data written anywhere is read everywhere, and when the leader's
/// Patroni and PostgreSQL are SIGKILLed the regions follow the new leader without a restart.
/// </summary>
public sealed class PatroniRegionsTests
{
    private static readonly string[] Names = ["us-east-1", "eu-west-1", "ap-south-1"];
    private static readonly HttpClient Patroni = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task RegionsFollowPatroni_WritesAnywhereAreReadEverywhere_AndALeaderKilledMovesThePrimary()
    {
        // Bootstrapped asynchronous: the regions' replication_mode (sync) is what turns Patroni's synchronous mode on.
        using var cluster = await PatroniCluster.StartAsync(Names, synchronous: false, TimeSpan.FromSeconds(120));
        var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30));
        cluster.Psql(leader, "postgres", "CREATE DATABASE ghidrainsight;");
        foreach (var name in Names)
        {
            await EventuallyAsync(() => Task.FromResult(cluster.Psql(name, "postgres", "SELECT COUNT(*) FROM pg_database WHERE datname = 'ghidrainsight';") == "1"),
                $"the database on {name}");
        }

        var regions = await StartRegionsAsync(cluster);
        try
        {
            var (_, timeline) = await cluster.LeaderAsync();
            await WaitAsync(regions.Values, h => h.Primary == leader && h.Epoch == timeline, "every region names Patroni's leader, at its timeline");
            Assert.True((await HealthAsync(regions[leader])).AcceptingStrongWrites);
            // replication_mode: sync is Patroni's synchronous mode, set by the primary region: a standby becomes synchronous.
            await EventuallyAsync(async () => (bool?)JsonNode.Parse(await Patroni.GetStringAsync(new Uri(cluster.RestApi(leader), "config")))?["synchronous_mode"] == true
                && ((await cluster.ClusterAsync())?["members"]?.AsArray() ?? []).Any(m => (string?)m?["role"] == "sync_standby"), "Patroni in synchronous mode with a synchronous standby");
            // Replication lag comes from PostgreSQL: the primary region reports each standby (pg_stat_replication).
            await WaitAsync([regions[leader]], h => Names.Where(n => n != leader).All(h.Replication.ContainsKey), "the primary reporting both standbys");
            var replica = Names.First(n => n != leader);
            // A standby region reports its own replay (pg_last_xact_replay_timestamp) under its own name, in /health and metrics.
            var standbys = Names.Where(n => n != leader).ToList();
            await WaitAsync(standbys.Select(n => regions[n]), h => h.Replication.Keys.SequenceEqual([h.Region]) && h.Replication[h.Region].Error is null,
                "each standby region reporting its own replay");
            foreach (var standby in standbys)
            {
                Assert.Contains($"ghidrainsight_replication_lag_seconds{{target=\"{standby}\"}}", await regions[standby].Client.GetStringAsync("metrics"), StringComparison.Ordinal);
            }


            // An upload at a replica region is stored in the primary database and read from every region's own.
            using var uploaded = await regions[replica].Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
            var upload = await Json.ReadAsync(uploaded);
            Assert.True(uploaded.IsSuccessStatusCode, upload.ToJsonString());
            var id = (string)upload["analysis_id"]!;
            foreach (var region in regions.Values)
            {
                await EventuallyAsync(async () => (await region.Client.GetAsync($"api/analyses/{id}")).StatusCode == HttpStatusCode.OK, "the analysis in every region");
            }

            // An annotation at a replica region is forwarded to the primary region and read everywhere.
            using var annotated = await regions[replica].Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x1000", new { name = "entry" });
            Assert.Equal(HttpStatusCode.Created, annotated.StatusCode);
            foreach (var region in regions.Values)
            {
                await EventuallyAsync(async () => (await region.Client.GetAsync($"api/analyses/{id}/annotations/0x1000")).StatusCode == HttpStatusCode.OK,
                    "the annotation in every region");
            }

            cluster.Kill(leader);
            var successor = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60), except: leader);
            var survivors = regions.Where(r => r.Key != leader).Select(r => r.Value).ToList();
            await WaitAsync(survivors, h => h.Primary == successor && h.Epoch > timeline, "the survivors name the new leader at a newer timeline");
            var after = await HealthAsync(regions[successor]);
            Assert.True(after.AcceptingStrongWrites);
            // Promoted, it reports its standby instead of itself, and its own series leaves the metrics.
            await WaitAsync([regions[successor]], h => !h.Replication.ContainsKey(successor) && h.Replication.ContainsKey(Names.First(n => n != leader && n != successor)),
                "the new primary reporting its standby, no longer itself");
            Assert.DoesNotContain($"ghidrainsight_replication_lag_seconds{{target=\"{successor}\"}}", await regions[successor].Client.GetStringAsync("metrics"),
                StringComparison.Ordinal);

            // Strong writes continue at the new primary, from any surviving region.
            var other = Names.First(n => n != leader && n != successor);
            using var again = new HttpRequestMessage(HttpMethod.Put, $"api/analyses/{id}/annotations/0x1000") { Content = JsonContent.Create(new { name = "start" }) };
            again.Headers.IfMatch.ParseAdd("\"1\"");
            using var updated = await regions[other].Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

            // A manual switchover becomes a Patroni switchover; an unknown region is refused.
            await Json.AssertProblemAsync(await regions[other].Client.PostAsJsonAsync("api/failover", new { to = "xx-north-9" }), 400, "UNKNOWN_REGION");
            // In synchronous mode Patroni switches over only to the synchronous standby: once the survivor is that again.
            await cluster.WaitForRoleAsync(other, "sync_standby", TimeSpan.FromSeconds(60));
            using var switched = await regions[other].Client.PostAsJsonAsync("api/failover", new { to = other });
            var result = await Json.ReadAsync(switched);
            Assert.True(switched.StatusCode == HttpStatusCode.OK, result.ToJsonString());
            Assert.Equal(other, (string?)result["primary"]);
            Assert.Equal(other, (await cluster.LeaderAsync()).Leader);
            await WaitAsync([regions[other], regions[successor]], h => h.Primary == other, "both survivors name the switchover's target");
            Assert.True((await HealthAsync(regions[other])).AcceptingStrongWrites);
            var history = (await Json.ReadAsync(await regions[other].Client.GetAsync("api/regions"))).ToJsonString();
            Assert.Contains("\"manual\"", history, StringComparison.Ordinal);
            Assert.Contains("\"health\"", history, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var region in regions.Values)
            {
                await region.DisposeAsync();
            }
        }
    }

    private static async Task<Dictionary<string, TestRegion>> StartRegionsAsync(PatroniCluster cluster)
    {
        var ports = FreePorts.Take(Names.Length);
        var endpoints = Names.Select((name, i) => (name, new Uri($"http://127.0.0.1:{ports[i]}"))).ToDictionary(p => p.name, p => p.Item2);
        var regions = new Dictionary<string, TestRegion>();
        for (var i = 0; i < Names.Length; i++)
        {
            var (name, port) = (Names[i], ports[i]);
            regions[name] = await TestRegion.StartAsync(options => options with
            {
                Server = options.Server with { Port = port },
                Storage = options.Storage with
                {
                    Provider = "postgres",
                    ConnectionString = cluster.ConnectionString("ghidrainsight"),
                    Password = cluster.Password,
                    ReadHost = $"127.0.0.1:{cluster.PostgresPort(name)}",
                    PatroniUrl = cluster.RestApi(name).ToString(),
                    WriteDeadlineMs = 30_000,
                },
                Region = new RegionOptions
                {
                    Enabled = true,
                    CurrentRegion = name,
                    Regions = Names,
                    Endpoints = endpoints,
                    ReplicationEnabled = true,
                    ReplicationMode = ReplicationMode.Sync,
                    HealthCheckIntervalSeconds = 1,
                    CrossRegionTimeoutSeconds = 2,
                    Secret = "a-shared-secret-of-enough-length",
                },
            });
        }

        return regions;
    }

    /// <summary>The region's health report, whatever its status (a 503 while its database restarts still says who is primary).</summary>
    private static async Task<HealthReport> HealthAsync(TestRegion region)
    {
        using var response = await region.Client.GetAsync("health");
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.HealthReport))!;
    }

    private static Task WaitAsync(IEnumerable<TestRegion> regions, Func<HealthReport, bool> condition, string what) =>
        EventuallyAsync(async () =>
        {
            foreach (var region in regions)
            {
                if (!condition(await HealthAsync(region)))
                {
                    return false;
                }
            }

            return true;
        }, what);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"not within 60 s: {what}");
    }
}
