using System.Net.Http.Headers;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Storage;

namespace GhidraInsight.Server.Tests.Support;

/// <summary>A region "us-east-1" that trusts "eu-west-1", and real replication batches from "eu-west-1" signed as that region would.</summary>
internal static class SignedBatches
{
    public const string Secret = "a-shared-secret-of-enough-length";

    /// <param name="configure">Further changes to the region's options (its storage, say).</param>
    /// <param name="logs">Where the region logs (see <see cref="TestRegion.StartAsync"/>).</param>
    public static Task<TestRegion> StartUsEastAsync(Func<GhidraOptions, GhidraOptions>? configure = null, CapturedLogs? logs = null) => TestRegion.StartAsync(o =>
    {
        o = o with
        {
            Region = new RegionOptions
            {
                Enabled = true,
                CurrentRegion = "us-east-1",
                Regions = ["us-east-1", "eu-west-1"],
                // eu-west-1 is only a name here: nothing listens there, and this region does not replicate to it.
                Endpoints = new Dictionary<string, Uri> { ["us-east-1"] = new("http://127.0.0.1:1"), ["eu-west-1"] = new("http://127.0.0.1:1") },
                Secret = Secret,
            },
        };
        return configure?.Invoke(o) ?? o;
    }, logs: logs);

    /// <summary>A real outbox: an analysis and an annotation stored in an "eu-west-1" SQLite store.</summary>
    public static async Task<(byte[] Body, string Id)> FromEuWestAsync()
    {
        using var originFolder = new TempFolder("ghidrainsight-origin-");
        await using var origin = AnalysisStores.OpenSqlite(originFolder.Path, 1 << 20);
        await origin.InitializeAsync();
        var id = new string('e', 64);
        await origin.Analyses.SaveAnalysisAsync(new NewAnalysis(id, "1.0.0", "elf", "x86_64", 10, $"{{\"analysis_id\":\"{id}\",\"functions\":[]}}", null), epoch: 1);
        await origin.Analyses.PutAnnotationAsync(id, 0x1000, new AnnotationInput("main", null, []), null, epoch: 1);
        var entries = await origin.Replication.ReadOutboxAsync(0, 100);
        return (ReplicationJson.Serialize(ReplicationBatch.From("eu-west-1", entries)), id);
    }

    public static HttpRequestMessage Sign(TestRegion region, byte[] body, string signer, string secret, TimeProvider time)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(region.Host.Address, "api/replicate")) { Content = Content(body) };
        new RegionRequestSigner(signer, secret, time).Sign(request, body);
        return request;
    }

    public static ByteArrayContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
