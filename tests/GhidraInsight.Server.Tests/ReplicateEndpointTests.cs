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
    [Fact]
    public async Task SignedBatch_IsApplied_AndDeliveringItAgainChangesNothing()
    {
        await using var region = await SignedBatches.StartUsEastAsync();
        var (body, id) = await SignedBatches.FromEuWestAsync();

        using var first = await region.Client.SendAsync(SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, TimeProvider.System));
        var ack = await Json.ReadAsync(first);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True((long)ack["applied_through"]! >= 2);
        Assert.Equal(HttpStatusCode.OK, (await region.Client.GetAsync($"api/analyses/{id}")).StatusCode);
        var annotations = await region.Client.GetStringAsync($"api/analyses/{id}/annotations");

        using var again = await region.Client.SendAsync(SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, TimeProvider.System));
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
        await using var region = await SignedBatches.StartUsEastAsync();
        var (body, id) = await SignedBatches.FromEuWestAsync();
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5));
        using var request = forgery switch
        {
            "unsigned" => new HttpRequestMessage(HttpMethod.Post, new Uri(region.Host.Address, "api/replicate")) { Content = SignedBatches.Content(body) },
            "wrong-secret" => SignedBatches.Sign(region, body, "eu-west-1", "another-secret-of-enough-length", TimeProvider.System),
            "unknown-region" => SignedBatches.Sign(region, body, "xx-north-9", SignedBatches.Secret, TimeProvider.System),
            "own-region" => SignedBatches.Sign(region, body, "us-east-1", SignedBatches.Secret, TimeProvider.System),
            "stale" => SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, past),
            _ => Tamper(SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, TimeProvider.System)),
        };

        using var response = await region.Client.SendAsync(request);

        await Json.AssertProblemAsync(response, 401, "REGION_UNAUTHORIZED");
        Assert.Equal(HttpStatusCode.NotFound, (await region.Client.GetAsync($"api/analyses/{id}")).StatusCode);
    }

    [Fact]
    public async Task ReplayedRequest_Is401_EvenThoughItsSignatureIsValid()
    {
        await using var region = await SignedBatches.StartUsEastAsync();
        var (body, _) = await SignedBatches.FromEuWestAsync();
        using var original = SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, TimeProvider.System);
        using var replay = new HttpRequestMessage(HttpMethod.Post, original.RequestUri) { Content = SignedBatches.Content(body) };
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
        await using var region = await SignedBatches.StartUsEastAsync();
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);

        using var response = await region.Client.SendAsync(SignedBatches.Sign(region, bytes, "eu-west-1", SignedBatches.Secret, TimeProvider.System));

        await Json.AssertProblemAsync(response, 400, "BAD_INPUT");
        var health = await Json.ReadAsync(await region.Client.GetAsync("health"));
        Assert.Equal("healthy", (string?)health["status"]);
    }

    private static HttpRequestMessage Tamper(HttpRequestMessage request)
    {
        var body = request.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var json = JsonNode.Parse(body)!;
        json["entries"]![0]!["key"] = new string('f', 64);
        request.Content = SignedBatches.Content(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
        return request;
    }
}
