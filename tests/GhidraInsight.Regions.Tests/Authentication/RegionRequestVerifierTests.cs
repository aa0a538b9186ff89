using System.Text;
using GhidraInsight.Regions.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Authentication;

public sealed class RegionRequestVerifierTests
{
    private const string Secret = "shared-secret";
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];
    private static readonly Uri Target = new("http://127.0.0.1:3102/api/replicate?x=1");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly RegionRequestVerifier _verifier;

    public RegionRequestVerifierTests()
    {
        _verifier = new RegionRequestVerifier("eu-west-1", Regions, Secret, _time);
    }

    [Fact]
    public void A_signed_request_verifies_as_its_region()
    {
        var result = Verify(Signed("us-east-1", Secret, "{}"u8.ToArray()), "{}"u8.ToArray());

        Assert.True(result.Succeeded);
        Assert.Equal("us-east-1", result.Region);
        Assert.Null(result.Code);
    }

    [Fact]
    public void A_tampered_body_is_a_bad_signature()
    {
        var headers = Signed("us-east-1", Secret, "{\"a\":1}"u8.ToArray());
        Assert.Equal("bad_signature", Verify(headers, "{\"a\":2}"u8.ToArray()).Code);
    }

    [Fact]
    public void A_tampered_path_is_a_bad_signature()
    {
        var headers = Signed("us-east-1", Secret, []);
        var result = _verifier.Verify(headers, "POST", "/api/replicate?x=2", []);
        Assert.Equal(RegionVerificationFailure.BadSignature, result.Failure);
    }

    [Fact]
    public void A_wrong_secret_is_a_bad_signature() =>
        Assert.Equal("bad_signature", Verify(Signed("us-east-1", "another-secret", []), []).Code);

    [Fact]
    public void A_garbled_signature_is_a_bad_signature()
    {
        var headers = Signed("us-east-1", Secret, []);
        headers[RegionHeaders.Signature] = "zz" + new string('0', 62);
        Assert.Equal("bad_signature", Verify(headers, []).Code);
    }

    [Fact]
    public void An_unknown_region_is_refused() =>
        Assert.Equal("unknown_region", Verify(Signed("mars-1", Secret, []), []).Code);

    [Fact]
    public void The_verifiers_own_region_is_refused() =>
        Assert.Equal("unknown_region", Verify(Signed("eu-west-1", Secret, []), []).Code);

    [Fact]
    public void A_request_older_than_the_window_is_stale()
    {
        var headers = Signed("us-east-1", Secret, []);
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("stale", Verify(headers, []).Code);
    }

    [Fact]
    public void A_request_just_inside_the_window_verifies()
    {
        var headers = Signed("us-east-1", Secret, []);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.True(Verify(headers, []).Succeeded);
    }

    [Fact]
    public void A_timestamp_from_the_future_is_stale()
    {
        var headers = Signed("us-east-1", Secret, [], new FakeTimeProvider(_time.GetUtcNow().AddSeconds(61)));
        Assert.Equal("stale", Verify(headers, []).Code);
    }

    [Fact]
    public void A_replayed_nonce_is_refused_and_the_first_use_still_counts()
    {
        var headers = Signed("us-east-1", Secret, "x"u8.ToArray());
        Assert.True(Verify(headers, "x"u8.ToArray()).Succeeded);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("replayed", Verify(headers, "x"u8.ToArray()).Code);
    }

    [Fact]
    public void Nonces_are_forgotten_once_their_timestamp_is_stale()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.True(Verify(Signed("us-east-1", Secret, []), []).Succeeded);
        }

        Assert.Equal(10, _verifier.RememberedNonces);
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.True(Verify(Signed("ap-south-1", Secret, []), []).Succeeded);
        Assert.Equal(1, _verifier.RememberedNonces);
    }

    [Fact]
    public void A_bad_signature_does_not_burn_the_nonce()
    {
        var headers = Signed("us-east-1", Secret, "good"u8.ToArray());
        Assert.Equal("bad_signature", Verify(headers, "evil"u8.ToArray()).Code);
        Assert.True(Verify(headers, "good"u8.ToArray()).Succeeded);
    }

    [Theory]
    [InlineData(RegionHeaders.Region)]
    [InlineData(RegionHeaders.Timestamp)]
    [InlineData(RegionHeaders.Nonce)]
    [InlineData(RegionHeaders.Signature)]
    public void A_missing_header_is_reported_as_missing(string header)
    {
        var headers = Signed("us-east-1", Secret, []);
        headers.Remove(header);
        Assert.Equal("missing", Verify(headers, []).Code);
    }

    [Fact]
    public void A_non_numeric_timestamp_is_reported_as_missing()
    {
        var headers = Signed("us-east-1", Secret, []);
        headers[RegionHeaders.Timestamp] = "yesterday";
        Assert.Equal(RegionVerificationFailure.Missing, Verify(headers, []).Failure);
    }

    [Fact]
    public async Task The_signing_handler_signs_what_it_sends()
    {
        var capture = new CapturingHandler();
        using var client = new HttpClient(new RegionSigningHandler(new RegionRequestSigner("ap-south-1", Secret, _time)) { InnerHandler = capture });
        using var content = new StringContent("{\"origin\":\"ap-south-1\"}", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(Target, content);

        var headers = new HeaderDictionary();
        foreach (var header in capture.Request!.Headers)
        {
            headers[header.Key] = header.Value.ToArray();
        }

        Assert.Equal(16, Convert.FromHexString(headers[RegionHeaders.Nonce].ToString()).Length);
        var result = _verifier.Verify(headers, "POST", Target.PathAndQuery, capture.Body);
        Assert.True(result.Succeeded, result.Code);
        Assert.Equal("ap-south-1", result.Region);
    }

    private RegionVerificationResult Verify(HeaderDictionary headers, byte[] body) => _verifier.Verify(headers, "POST", Target.PathAndQuery, body);

    private HeaderDictionary Signed(string region, string secret, byte[] body, TimeProvider? clock = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Target);
        new RegionRequestSigner(region, secret, clock ?? _time).Sign(request, body);
        var headers = new HeaderDictionary();
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToArray();
        }

        return headers;
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public byte[] Body { get; private set; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }
    }
}
