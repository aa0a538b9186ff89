using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Server.Tests.Support;
using GhidraInsight.Storage;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// <c>POST /api/replicate</c> takes only batches signed by a known region with the shared secret, recently, once.
/// Everything else is 401 and nothing is applied.
/// </summary>
public sealed class ReplicateEndpointTests
{
    private const string Secret = "a-shared-secret-of-enough-length";

    [Fact]
    public async Task SignedBatch_IsApplied_AndDeliveringItAgainChangesNothing()
    {
        await using var region = await StartUsEastAsync();
        var (body, id) = await BatchFromEuWestAsync();

        using var first = await region.Client.SendAsync(Signed(region, body, "eu-west-1", Secret, TimeProvider.System));
        var ack = await Json.ReadAsync(first);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True((long)ack["applied_through"]! >= 2);
        Assert.Equal(HttpStatusCode.OK, (await region.Client.GetAsync($"api/analyses/{id}")).StatusCode);
        var annotations = await region.Client.GetStringAsync($"api/analyses/{id}/annotations");

        using var again = await region.Client.SendAsync(Signed(region, body, "eu-west-1", Secret, TimeProvider.System));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((long)ack["applied_through"]!, (long)(await Json.ReadAsync(again))["applied_through"]!);
        Assert.Equal(annotations, await region.Client.GetStringAsync($"api/analyses/{id}/annotations"));
    }

    [Theory]
    [InlineData("unsigned")]
    [InlineData("wrong-secret")]
    [InlineData("unknown-region")]
    [InlineData("own-region")]
    [InlineData("stale")]
    [InlineData("tampered")]
    public async Task ForgedOrStaleBatch_Is401_AndNothingIsApplied(string forgery)
    {
        await using var region = await StartUsEastAsync();
        var (body, id) = await BatchFromEuWestAsync();
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5));
        using var request = forgery switch
        {
            "unsigned" => new HttpRequestMessage(HttpMethod.Post, new Uri(region.Host.Address, "api/replicate")) { Content = Content(body) },
            "wrong-secret" => Signed(region, body, "eu-west-1", "another-secret-of-enough-length", TimeProvider.System),
            "unknown-region" => Signed(region, body, "xx-north-9", Secret, TimeProvider.System),
            "own-region" => Signed(region, body, "us-east-1", Secret, TimeProvider.System),
            "stale" => Signed(region, body, "eu-west-1", Secret, past),
            _ => Tamper(Signed(region, body, "eu-west-1", Secret, TimeProvider.System)),
        };

        using var response = await region.Client.SendAsync(request);

        await Json.AssertProblemAsync(response, 401, "REGION_UNAUTHORIZED");
        Assert.Equal(HttpStatusCode.NotFound, (await region.Client.GetAsync($"api/analyses/{id}")).StatusCode);
    }

    [Fact]
    public async Task ReplayedRequest_Is401_EvenThoughItsSignatureIsValid()
    {
        await using var region = await StartUsEastAsync();
        var (body, _) = await BatchFromEuWestAsync();
        using var original = Signed(region, body, "eu-west-1", Secret, TimeProvider.System);
        using var replay = new HttpRequestMessage(HttpMethod.Post, original.RequestUri) { Content = Content(body) };
        foreach (var header in original.Headers)
        {
            replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        Assert.Equal(HttpStatusCode.OK, (await region.Client.SendAsync(original)).StatusCode);
        var problem = await Json.AssertProblemAsync(await region.Client.SendAsync(replay), 401, "REGION_UNAUTHORIZED");
        Assert.Equal("replayed", (string?)problem["detail"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("{\"origin\":\"eu-west-1\",\"entries\":[{\"sequence\":1,\"kind\":\"analysis.stored\",\"key\":\"k\",\"payload\":\"not json\",\"epoch\":1,\"created_at\":1}]}")]
    [InlineData("{\"origin\":\"eu-west-1\",\"entries\":[{\"sequence\":1,\"kind\":\"analysis.stored\",\"key\":\"k\",\"payload\":\"{}\",\"epoch\":1,\"created_at\":1}]}")]
    [InlineData("{\"origin\":\"eu-west-1\",\"entries\":[{\"sequence\":1,\"kind\":\"annotation.put\",\"key\":\"k\",\"payload\":\"{\\\"address\\\":5}\",\"epoch\":1,\"created_at\":1}]}")]
    [InlineData("{\"origin\":\"eu-west-1\",\"entries\":[{\"sequence\":2,\"kind\":\"analysis.deleted\",\"key\":\"k\",\"payload\":\"[]\",\"epoch\":1,\"created_at\":1},{\"sequence\":1,\"kind\":\"x\",\"key\":\"k\",\"payload\":\"\",\"epoch\":1,\"created_at\":1}]}")]
    public async Task MalformedBatch_FromAGenuineRegion_Is400_NeverA500(string body)
    {
        await using var region = await StartUsEastAsync();
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);

        using var response = await region.Client.SendAsync(Signed(region, bytes, "eu-west-1", Secret, TimeProvider.System));

        await Json.AssertProblemAsync(response, 400, "BAD_INPUT");
        var health = await Json.ReadAsync(await region.Client.GetAsync("health"));
        Assert.Equal("healthy", (string?)health["status"]);
    }

    private static Task<TestRegion> StartUsEastAsync() => TestRegion.StartAsync(o => o with
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
    });

    /// <summary>A real outbox: an analysis and an annotation stored in an "eu-west-1" SQLite store.</summary>
    private static async Task<(byte[] Body, string Id)> BatchFromEuWestAsync()
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

    private static HttpRequestMessage Signed(TestRegion region, byte[] body, string signer, string secret, TimeProvider time)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(region.Host.Address, "api/replicate")) { Content = Content(body) };
        new RegionRequestSigner(signer, secret, time).Sign(request, body);
        return request;
    }

    private static HttpRequestMessage Tamper(HttpRequestMessage request)
    {
        var body = request.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var json = JsonNode.Parse(body)!;
        json["entries"]![0]!["key"] = new string('f', 64);
        request.Content = Content(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
        return request;
    }

    private static ByteArrayContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
