using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GhidraInsight.Analysis;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Tests.Support;
using GhidraInsight.Storage;

namespace GhidraInsight.Server.Tests;

/// <summary>One region (its own primary) holding results an older engine made, seeded into its store before it starts.</summary>
public sealed class ReanalysisEndpointTests
{
    private const string OldEngine = "1.0.0";

    [Fact]
    public async Task AStaleResult_IsServedMarkedStale_AndReplacedInTheBackground()
    {
        using var folder = new TempFolder("ghidrainsight-reanalysis-");
        var bytes = Samples.Variant(501);
        var id = await SeedStaleAsync(folder.Path, bytes, withBinary: true);
        await using var region = await TestRegion.StartAsync(dataDir: folder.Path);

        var first = JsonNode.Parse(await region.Client.GetStringAsync($"api/analyses/{id}"))!;

        Assert.Equal((true, OldEngine), ((bool?)first["stale"], (string?)first["engine_version"]));
        JsonNode? later = null;
        Assert.True(await Eventually(async () => (string?)(later = JsonNode.Parse(await region.Client.GetStringAsync($"api/analyses/{id}"))!)["engine_version"] == AnalysisEngine.Version));
        Assert.Null(later!["stale"]);
        Assert.Contains(later["functions"]!.AsArray(), f => (string?)f!["name"] == "checksum");
    }

    [Fact]
    public async Task UploadingTheBytesOfAStaleResult_AnswersWithThisEnginesResult()
    {
        using var folder = new TempFolder("ghidrainsight-reanalysis-");
        var bytes = Samples.Variant(502);
        var id = await SeedStaleAsync(folder.Path, bytes, withBinary: false);
        await using var region = await TestRegion.StartAsync(dataDir: folder.Path);

        using var upload = await region.Client.PostAsync("api/analyze", TestRegion.Binary(bytes));
        var body = await Json.ReadAsync(upload);

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal((id, AnalysisEngine.Version), ((string?)body["analysis_id"], (string?)body["engine_version"]));
        Assert.Null(body["stale"]);
        Assert.Equal(AnalysisEngine.Version, (string?)JsonNode.Parse(await region.Client.GetStringAsync($"api/analyses/{id}"))!["engine_version"]);
    }

    [Fact]
    public async Task Reanalyze_NeedsTheAdminRole_AndSaysWhatItDid()
    {
        using var folder = new TempFolder("ghidrainsight-reanalysis-");
        await SeedStaleAsync(folder.Path, Samples.Variant(503), withBinary: true);
        await SeedStaleAsync(folder.Path, Samples.Variant(504), withBinary: false);
        await using var region = await TestRegion.StartAsync(o => o with
        {
            Auth = new AuthOptions { ApiKeys = [Key("reader", "read-key", ApiRole.Read), Key("ops", "admin-key", ApiRole.Admin)] },
        }, dataDir: folder.Path);
        using var reader = region.ClientWithKey("read-key");
        using var admin = region.ClientWithKey("admin-key");

        await Json.AssertProblemAsync(await reader.PostAsync("api/reanalyze", null), 403, "FORBIDDEN");
        await Json.AssertProblemAsync(await reader.GetAsync("api/reanalyze"), 403, "FORBIDDEN");
        await Json.AssertProblemAsync(await admin.PostAsync("api/reanalyze?concurrency=abc", null), 400, "BAD_INPUT");
        Assert.Equal("idle", (string?)JsonNode.Parse(await admin.GetStringAsync("api/reanalyze"))!["state"]);
        // The inter-region door is for signed requests only.
        await Json.AssertProblemAsync(await admin.PostAsync("api/internal/reanalyze", new StringContent("""{"ids":[]}""", Encoding.UTF8, "application/json")), 401, "REGION_UNAUTHORIZED");

        using var started = await admin.PostAsync("api/reanalyze?concurrency=1", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonNode? status = null;
        Assert.True(await Eventually(async () => (string?)(status = JsonNode.Parse(await admin.GetStringAsync("api/reanalyze"))!)["state"] == "finished"));
        Assert.Equal([2, 2, 1, 0, 1, 0, 0, 1], new[] { "examined", "stale", "reanalysed", "current", "not_held", "failed", "pending", "concurrency" }.Select(k => (long)status![k]!));
    }

    private static ApiKeyOptions Key(string name, string key, ApiRole role) =>
        new() { Name = name, KeySha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), Role = role };

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        for (var until = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < until; await Task.Delay(50))
        {
            if (await condition())
            {
                return true;
            }
        }
        return await condition();
    }

    /// <summary>Stores what an older engine would have made of the bytes: its version, and no functions.</summary>
    private static async Task<string> SeedStaleAsync(string dataDir, byte[] bytes, bool withBinary)
    {
        var result = new AnalysisEngine().Analyze(bytes);
        var json = JsonNode.Parse(AnalysisJson.Serialize(result))!.AsObject();
        json["engine_version"] = OldEngine;
        json["functions"] = new JsonArray();
        var id = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var storage = AnalysisStores.OpenSqlite(dataDir, 64 << 20);
        await storage.InitializeAsync();
        await storage.Analyses.SaveAnalysisAsync(new NewAnalysis(id, OldEngine, result.Binary.Format, result.Binary.Arch, bytes.Length, json.ToJsonString(),
            withBinary ? bytes : (ReadOnlyMemory<byte>?)null), epoch: 1);
        return id;
    }
}
