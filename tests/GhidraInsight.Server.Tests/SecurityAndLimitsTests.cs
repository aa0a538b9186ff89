using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

public sealed class SecurityAndLimitsTests
{
    private static ApiKeyOptions Key(string name, string key, ApiRole role) =>
        new() { Name = name, KeySha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), Role = role };

    private static Task<TestRegion> StartWithKeysAsync(int rateLimit = 0) => TestRegion.StartAsync(o => o with
    {
        Auth = new AuthOptions { ApiKeys = [Key("reader", "read-key", ApiRole.Read), Key("ci", "analyze-key", ApiRole.Analyze), Key("ops", "admin-key", ApiRole.Admin)] },
        Server = o.Server with { RateLimitPerMinute = rateLimit },
    });

    [Fact]
    public async Task WithKeysConfigured_ApiNeedsAValidKey_OfAStrongEnoughRole()
    {
        await using var region = await StartWithKeysAsync();
        await Json.AssertProblemAsync(await region.Client.GetAsync("api/analyses"), 401, "UNAUTHORIZED");
        using var wrong = region.ClientWithKey("not-a-key");
        await Json.AssertProblemAsync(await wrong.GetAsync("api/analyses"), 401, "UNAUTHORIZED");
        using var reader = region.ClientWithKey("read-key");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("api/analyses")).StatusCode);
        await Json.AssertProblemAsync(await reader.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf)), 403, "FORBIDDEN");

        // Bearer works as well as X-API-Key.
        using var bearer = new HttpClient { BaseAddress = region.Host.Address };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "analyze-key");
        using var upload = await bearer.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var id = (string)(await Json.ReadAsync(upload))["analysis_id"]!;
        await Json.AssertProblemAsync(await bearer.DeleteAsync($"api/analyses/{id}"), 403, "FORBIDDEN");
        using var admin = region.ClientWithKey("admin-key");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/analyses/{id}")).StatusCode);

        // Health stays public for load balancers.
        Assert.Equal(HttpStatusCode.OK, (await region.Client.GetAsync("health")).StatusCode);
    }

    [Fact]
    public async Task RequestsAboveTheRateLimit_Get429WithRetryAfter_PerKey()
    {
        await using var region = await StartWithKeysAsync(rateLimit: 3);
        using var reader = region.ClientWithKey("read-key");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("api/analyses")).StatusCode);
        }
        using var limited = await reader.GetAsync("api/analyses");
        await Json.AssertProblemAsync(limited, 429, "RATE_LIMITED");
        Assert.NotNull(limited.Headers.RetryAfter);
        // Another key has its own allowance.
        using var admin = region.ClientWithKey("admin-key");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("api/analyses")).StatusCode);
    }

    [Fact]
    public async Task FullAnalysisQueue_Answers503WithRetryAfter_InsteadOfHanging()
    {
        await using var region = await TestRegion.StartAsync(o => o with { Server = o.Server with { AnalysisConcurrency = 1, AnalysisQueueLimit = 0 } });
        var large = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libcoreclr.so"));
        var uploads = Enumerable.Range(0, 6).Select(i => large.Concat(BitConverter.GetBytes(i)).ToArray()).ToList();

        var responses = await Task.WhenAll(uploads.Select(bytes => region.Client.PostAsync("api/analyze", TestRegion.Binary(bytes))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString()));
        var busy = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var response in busy)
        {
            Assert.NotNull(response.Headers.RetryAfter);
            await Json.AssertProblemAsync(response, 503, "BUSY");
        }
    }
}
