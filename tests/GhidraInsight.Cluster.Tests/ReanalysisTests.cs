using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GhidraInsight.Analysis;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Cluster.Tests.Support;
using GhidraInsight.Server.Tests.Support;
using GhidraInsight.Storage;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// Results an older engine made, seeded into the regions' stores before they start (as an upgrade finds them), are analysed
/// again once, by the primary, and every region ends up with the new result; one whose binary no region holds stays stale.
/// </summary>
public sealed class ReanalysisTests
{
    private const string OldEngine = "1.0.0";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    [Fact]
    public async Task ReadingAStaleResult_HasThePrimaryReanalyseItOnce_AndEveryRegionGetsTheNewResult()
    {
        // held: its binary only in eu-west-1 (where it was uploaded); lost: its binary nowhere.
        var held = Samples.Variant(301);
        var lost = Samples.Variant(302);
        using var cluster = await TestCluster.StartSeededAsync(Regions, async (region, data) =>
        {
            await SeedStaleAsync(data, held, withBinary: region == "eu-west-1");
            await SeedStaleAsync(data, lost, withBinary: false);
        });
        var primary = await cluster.PrimaryAsync();
        var reader = cluster.DataNodes.FirstOrDefault(n => n != primary && n.Name != "eu-west-1") ?? cluster.DataNodes.First(n => n != primary);
        var (heldId, lostId) = (Id(held), Id(lost));

        // A burst of reads: each served at once, stale, while the primary re-analyses it once in the background.
        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => reader.Client.GetStringAsync($"api/analyses/{heldId}")));
        foreach (var body in reads.Select(r => JsonNode.Parse(r)!))
        {
            Assert.Equal(OldEngine, (string?)body["engine_version"]);
            Assert.True((bool?)body["stale"]);
        }
        Assert.True((bool?)JsonNode.Parse(await reader.Client.GetStringAsync($"api/analyses/{lostId}"))!["stale"]);

        foreach (var node in cluster.DataNodes)
        {
            JsonNode? renewed = null;
            Assert.True(await TestCluster.EventuallyAsync(async () =>
                (string?)(renewed = JsonNode.Parse(await node.Client.GetStringAsync($"api/analyses/{heldId}"))!)["engine_version"] == AnalysisEngine.Version, Soon),
                $"{node.Name} never got the new result: {renewed?.ToJsonString()[..200]}\n--- {node.Name}\n{node.Log}\n--- primary {primary.Name}\n{primary.Log}");
            Assert.Null(renewed!["stale"]);
            Assert.NotEmpty(renewed["functions"]!.AsArray());
            Assert.Equal(node.Name, (string?)renewed["region"]);
        }

        // Once across regions: one analysis in the whole deployment, by the primary.
        var metrics = await Task.WhenAll(cluster.DataNodes.Select(n => n.Client.GetStringAsync("metrics")));
        Assert.Equal(1, metrics.Sum(m => MetricsText.Sum(m, "ghidrainsight_analyses_performed_total")));
        Assert.Equal(1, MetricsText.Sum(await primary.Client.GetStringAsync("metrics"), "ghidrainsight_reanalyses_total{outcome=\"reanalysed\"}"));

        // The lost one cannot be made again: it stays stale everywhere, and the primary says why.
        Assert.True(await TestCluster.EventuallyAsync(async () =>
            MetricsText.Sum(await primary.Client.GetStringAsync("metrics"), "ghidrainsight_reanalyses_total{outcome=\"not_held\"}") >= 1, Soon), primary.Log);
        Assert.Contains($"{lostId} (engine {OldEngine}) stays stale: no region holds its binary", primary.Log, StringComparison.Ordinal);
        foreach (var node in cluster.DataNodes)
        {
            Assert.True((bool?)JsonNode.Parse(await node.Client.GetStringAsync($"api/analyses/{lostId}"))!["stale"]);
        }

        var list = JsonNode.Parse(await reader.Client.GetStringAsync("api/analyses"))!["items"]!.AsArray();
        Assert.Equal(false, (bool?)list.Single(i => (string?)i!["analysis_id"] == heldId)!["stale"]);
        Assert.Equal((true, OldEngine), list.Where(i => (string?)i!["analysis_id"] == lostId).Select(i => ((bool?)i!["stale"], (string?)i["engine_version"])).Single());
    }

    [Fact]
    public async Task ReanalyzeCommand_ReanalysesEveryStaleResultAtThePrimary_WithItsProgress()
    {
        var inAsia = Samples.Variant(311);
        var inUs = Samples.Variant(312);
        var lost = Samples.Variant(313);
        var current = Samples.Variant(314);
        using var cluster = await TestCluster.StartSeededAsync(Regions, async (region, data) =>
        {
            await SeedStaleAsync(data, inAsia, withBinary: region == "ap-south-1");
            await SeedStaleAsync(data, inUs, withBinary: region == "us-east-1");
            await SeedStaleAsync(data, lost, withBinary: false);
            await SeedAsync(data, current, withBinary: region == "us-east-1", AnalysisEngine.Version);
        });
        var primary = await cluster.PrimaryAsync();
        var other = cluster.DataNodes.First(n => n != primary);

        var refused = OperatorTests.Cli("reanalyze", "--url", other.Endpoint.ToString(), "--concurrency", "0");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--concurrency must be from 1 to 16", refused.Stderr, StringComparison.Ordinal);
        using (var tooMany = await other.Client.PostAsync("api/reanalyze?concurrency=99", null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        }

        // Asked of a replica: the job runs at the primary, and the command follows it there to the end.
        var run = OperatorTests.Cli("reanalyze", "--url", other.Endpoint.ToString(), "--json");

        Assert.True(run.Exit == 0, run.Stdout + run.Stderr);
        Assert.Contains($"Re-analysing at {primary.Name}, the primary", run.Stderr, StringComparison.Ordinal);
        var status = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(("finished", primary.Name, AnalysisEngine.Version), ((string?)status["state"], (string?)status["region"], (string?)status["engine_version"]));
        Assert.Equal([4, 3, 2, 0, 1, 0, 0], new[] { "examined", "stale", "reanalysed", "current", "not_held", "failed", "pending" }.Select(k => (long)status[k]!));
        foreach (var node in cluster.DataNodes)
        {
            foreach (var id in new[] { Id(inAsia), Id(inUs) })
            {
                Assert.True(await TestCluster.EventuallyAsync(async () =>
                    (string?)JsonNode.Parse(await node.Client.GetStringAsync($"api/analyses/{id}"))!["engine_version"] == AnalysisEngine.Version, Soon), node.Name);
            }
        }

        // Run again: nothing is stale but the lost one, which stays so.
        var again = OperatorTests.Cli("reanalyze", "--url", primary.Endpoint.ToString());
        Assert.True(again.Exit == 0, again.Stdout + again.Stderr);
        Assert.Contains("Re-analysed 0 of 1 stale results (4 stored)", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 with no binary in any region", again.Stdout, StringComparison.Ordinal);
    }

    private static string Id(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Stores the result an older engine would have made: its version, and no functions found.</summary>
    private static Task SeedStaleAsync(string dataDir, byte[] bytes, bool withBinary) => SeedAsync(dataDir, bytes, withBinary, OldEngine);

    private static async Task SeedAsync(string dataDir, byte[] bytes, bool withBinary, string engine)
    {
        var result = new AnalysisEngine().Analyze(bytes);
        var json = JsonNode.Parse(AnalysisJson.Serialize(result))!.AsObject();
        if (engine != AnalysisEngine.Version)
        {
            json["engine_version"] = engine;
            json["functions"] = new JsonArray();
        }
        await using var storage = AnalysisStores.OpenSqlite(dataDir, 64 << 20);
        await storage.InitializeAsync();
        await storage.Analyses.SaveAnalysisAsync(new NewAnalysis(Id(bytes), engine, result.Binary.Format, result.Binary.Arch, bytes.Length, json.ToJsonString(),
            withBinary ? bytes : (ReadOnlyMemory<byte>?)null), epoch: 1);
    }
}
