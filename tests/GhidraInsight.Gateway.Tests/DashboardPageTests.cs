using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Tests.Support;

namespace GhidraInsight.Gateway.Tests;

/// <summary>
/// The dashboard's page and files as the gateway serves them: from the assembly, under a strict Content-Security-Policy, revalidated
/// by ETag, and public (they hold no data) even when every data call needs a key.
/// </summary>
public sealed partial class DashboardPageTests
{
    private const string ReadKey = "read-key-0123456789";

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard")]
    public async Task ThePage_IsServedAtTheRootAndDashboard_AsHtml_UnderAStrictContentSecurityPolicy_AndNotFramed(string path)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>GhidraInsight</title>", html, StringComparison.Ordinal);
        var policy = Directives(response);
        Assert.Equal("'self'", policy["script-src"]);
        Assert.Equal("'none'", policy["frame-ancestors"]);
        Assert.DoesNotContain("unsafe-inline", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        // Nothing runs inline: every script the page has is a file of its own.
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
    }

    [Fact]
    public async Task EveryFileThePageReferences_IsServedWithItsContentType()
    {
        await using var gateway = await TestGateway.StartAsync();
        var html = await gateway.Client.GetStringAsync("/");

        var files = AssetReference().Matches(html).Select(m => m.Groups["path"].Value).Distinct().ToList();

        Assert.Contains("/dashboard/assets/app.js", files);
        Assert.Contains("/dashboard/assets/style.css", files);
        Assert.Contains(files, f => f.Contains("/vendor/uplot-", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains("/vendor/cytoscape-", StringComparison.Ordinal));
        foreach (var file in files)
        {
            using var response = await gateway.Client.GetAsync(file);
            var bytes = await response.Content.ReadAsByteArrayAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {(int)response.StatusCode}");
            Assert.Equal(file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
            Assert.NotEmpty(bytes);
            Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
            Assert.NotNull(response.Headers.ETag);
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard/assets/app.js")]
    public async Task TheSameETagAgain_Is304WithoutABody_AndAnotherIsTheWholeFile(string path)
    {
        await using var gateway = await TestGateway.StartAsync();
        using var first = await gateway.Client.GetAsync(path);
        var etag = first.Headers.ETag!;

        using var again = await Get(gateway, path, etag);
        using var stale = await Get(gateway, path, new EntityTagHeaderValue("\"not-this-one\""));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await stale.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AWeakenedTag_AListHoldingIt_OrStar_AreStill304()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var first = await gateway.Client.GetAsync("/dashboard/assets/app.js");
        var etag = first.Headers.ETag!.Tag;

        foreach (var header in new[] { "W/" + etag, "\"other\", " + etag, "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/assets/app.js");
            request.Headers.TryAddWithoutValidation("If-None-Match", header);
            using var response = await gateway.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotModified, $"If-None-Match: {header} answered {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("identity", null)]
    public async Task Files_AreCompressedAsTheClientAccepts_ToTheSameBytes_UnderTagsOfTheirOwn(string acceptEncoding, string? expected)
    {
        await using var gateway = await TestGateway.StartAsync();
        const string path = "/dashboard/assets/vendor/cytoscape-3.35.0/cytoscape.min.js";
        using var plain = await gateway.Client.GetAsync(path);
        var original = await plain.Content.ReadAsByteArrayAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var response = await gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        if (expected is null)
        {
            Assert.Equal(original, body);
            Assert.Equal(plain.Headers.ETag, response.Headers.ETag);
            return;
        }

        Assert.True(body.Length < original.Length / 2, $"{expected}: {body.Length} of {original.Length} bytes");
        Assert.NotEqual(plain.Headers.ETag, response.Headers.ETag);
        using var decoded = expected == "gzip"
            ? (Stream)new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress)
            : new System.IO.Compression.BrotliStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress);
        using var copy = new MemoryStream();
        await decoded.CopyToAsync(copy);
        Assert.Equal(original, copy.ToArray());
    }

    [Fact]
    public async Task Head_AnswersTheHeadersOfGet_WithoutTheBody()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var get = await gateway.Client.GetAsync("/dashboard/assets/app.js");

        using var head = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/dashboard/assets/app.js"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/dashboard/assets/nothing.js")]
    [InlineData("/dashboard/assets/vendor")]
    [InlineData("/dashboard/assets/index.html.bak")]
    public async Task AFileTheDashboardDoesNotHave_Is404ProblemJson(string path)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.GetAsync(path);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("NOT_FOUND", (string?)problem["code"]);
        Assert.All(gateway.Regions, r => Assert.Empty(r.Requests));
    }

    [Theory]
    [InlineData("vendor/uplot-1.6.32/LICENSE")]
    [InlineData("vendor/cytoscape-3.35.0/LICENSE")]
    public async Task TheVendoredLibrariesLicences_AreServedBesideThem(string file)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.GetAsync("/dashboard/assets/" + file);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("MIT", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithKeys_ThePageAndItsFilesNeedNone_ButItsDataDoes()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with
        {
            Auth = new AuthOptions { ApiKeys = [new ApiKeyOptions { Name = "reader", KeySha256 = ConfigLoader.HashApiKey(ReadKey), Role = ApiRole.Read }] },
        });

        foreach (var path in new[] { "/", "/dashboard", "/dashboard/assets/app.js", "/dashboard/assets/vendor/uplot-1.6.32/LICENSE" })
        {
            using var open = await gateway.Client.GetAsync(path);
            Assert.True(open.StatusCode == HttpStatusCode.OK, $"{path}: {(int)open.StatusCode}");
        }

        foreach (var path in new[] { "/api/overview", "/api/whoami" })
        {
            using var closed = await gateway.Client.GetAsync(path);
            Assert.True(closed.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)closed.StatusCode}");
            Assert.Equal("UNAUTHORIZED", (string?)JsonNode.Parse(await closed.Content.ReadAsStringAsync())!["code"]);
        }

        Assert.All(gateway.Regions, r => Assert.Empty(r.Requests));
    }

    private static async Task<HttpResponseMessage> Get(TestGateway gateway, string path, EntityTagHeaderValue ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(ifNoneMatch);
        return await gateway.Client.SendAsync(request);
    }

    private static Dictionary<string, string> Directives(HttpResponseMessage response) => response.Headers.GetValues("Content-Security-Policy").Single()
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(directive => directive.Split(' ', 2))
        .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "", StringComparer.Ordinal);

    [GeneratedRegex("""(?:src|href)="(?<path>/dashboard/assets/[^"]+)""")]
    private static partial Regex AssetReference();
}
