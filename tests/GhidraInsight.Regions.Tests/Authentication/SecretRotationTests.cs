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
        // Accepted the first time, by its signature with the previous secret: not refused and sent again (a second round trip
        // on every request between a rotated and an unrotated region, and a stall the primary's lease could not always absorb).
        Assert.Equal(1, target.Requests);
        Assert.Equal(0, target.RefusedSignatures);
    }

    [Fact]
    public void TheSignatureWithThePreviousSecret_IsAcceptedOnlyWhenWellFormed_AndMadeWithASecretTheRegionHolds()
    {
        var onlyOld = new RegionRequestVerifier("b", ["a", "b"], Old, TimeProvider.System);
        var rotated = Headers(new RegionSecret(New, previous: Old));

        Assert.True(onlyOld.Verify(rotated, "POST", Path.OriginalString, []).Succeeded);
        // A region holding neither secret refuses both signatures.
        var stranger = new RegionRequestVerifier("b", ["a", "b"], "a-third-secret-of-enough-length", TimeProvider.System);
        Assert.Equal(RegionVerificationFailure.BadSignature, stranger.Verify(Headers(new RegionSecret(New, previous: Old)), "POST", Path.OriginalString, []).Failure);
        // The second signature covers the same request: another path does not verify with it either.
        Assert.Equal(RegionVerificationFailure.BadSignature, onlyOld.Verify(Headers(new RegionSecret(New, previous: Old)), "POST", "/api/replicate?x=1", []).Failure);
        // Garbled, it is refused even though the first signature is good.
        var garbled = Headers(new RegionSecret(Old, previous: New));
        garbled[RegionHeaders.PreviousSignature] = "zz" + new string('0', 62);
        Assert.Equal(RegionVerificationFailure.BadSignature, onlyOld.Verify(garbled, "POST", Path.OriginalString, []).Failure);
        // Without a rotation there is one signature only.
        Assert.False(Headers(new RegionSecret(Old)).ContainsKey(RegionHeaders.PreviousSignature));
    }

    private static Microsoft.AspNetCore.Http.HeaderDictionary Headers(RegionSecret secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri("http://127.0.0.1:1"), Path));
        new RegionRequestSigner("a", secret, TimeProvider.System).Sign(request, []);
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToArray();
        }

        return headers;
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
