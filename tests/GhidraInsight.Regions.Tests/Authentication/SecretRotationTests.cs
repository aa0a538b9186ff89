using GhidraInsight.Configuration;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GhidraInsight.Regions.Tests.Authentication;

/// <summary>
/// A secret rotated region by region, over real HTTP: a region that has the new secret (and the old one as previous) and one that
/// still has only the old secret understand each other both ways, and once the rotation is done the old secret is refused.
/// </summary>
public sealed class SecretRotationTests
{
    private const string Old = "the-old-secret-of-enough-length";
    private const string New = "the-new-secret-of-enough-length";
    private static readonly Uri Path = new("/api/replicate", UriKind.Relative);

    [Fact]
    public async Task ARotatedSender_ReachesATargetThatHasOnlyTheOldSecret_WithoutAFailedRequest()
    {
        await using var target = await ReplicationTarget.StartAsync(TimeProvider.System, Old);
        using var client = SignedClient(new RegionSecret(New, previous: Old), target.Address);

        using var response = await client.PostAsync(Path, Batch());

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Single(target.Batches);
    }

    [Fact]
    public async Task ATargetThatRotated_AcceptsTheOldSecretAsPrevious_AndRefusesItOnceThePreviousIsRemoved()
    {
        var options = new TestOptionsMonitor<RegionOptions>(new RegionOptions { Secret = New, PreviousSecret = Old });
        var secret = RegionSecret.Following(options, NullLogger.Instance);
        await using var target = await ReplicationTarget.StartAsync(TimeProvider.System, secret);
        using var notYetRotated = SignedClient(new RegionSecret(Old), target.Address);

        using (var accepted = await notYetRotated.PostAsync(Path, Batch()))
        {
            Assert.True(accepted.IsSuccessStatusCode);
        }

        // The rotation is done everywhere: the previous secret goes (a reload), and with it every request signed with it.
        options.Set(new RegionOptions { Secret = New });
        using (var refused = await notYetRotated.PostAsync(Path, Batch()))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        Assert.Equal(1, target.RefusedSignatures);
    }

    [Fact]
    public async Task WithoutAPreviousSecret_ARefusedSignatureIsNotSentAgain()
    {
        await using var target = await ReplicationTarget.StartAsync(TimeProvider.System, Old);
        using var client = SignedClient(new RegionSecret(New), target.Address);

        using var response = await client.PostAsync(Path, Batch());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, target.Requests);
    }

    [Fact]
    public void AReloadWithoutASecret_KeepsTheOneTheRegionHas()
    {
        var options = new TestOptionsMonitor<RegionOptions>(new RegionOptions { Secret = Old });
        var secret = RegionSecret.Following(options, NullLogger.Instance);
        var verifier = new RegionRequestVerifier("b", ["a", "b"], secret, TimeProvider.System);

        options.Set(new RegionOptions { Secret = null });

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://127.0.0.1:1/api/replicate"));
        new RegionRequestSigner("a", Old, TimeProvider.System).Sign(request, []);
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToArray();
        }
        Assert.True(verifier.Verify(headers, "POST", "/api/replicate", []).Succeeded);
    }

    private static HttpClient SignedClient(RegionSecret secret, Uri address) =>
        new(new RegionSigningHandler(new RegionRequestSigner("a", secret, TimeProvider.System)) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = address };

    private static ByteArrayContent Batch()
    {
        var content = new ByteArrayContent(ReplicationJson.Serialize(new ReplicationBatch("a", [])));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
