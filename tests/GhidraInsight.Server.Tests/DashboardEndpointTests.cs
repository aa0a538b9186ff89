using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// The dashboard on one real region: the page at <c>/dashboard</c> and the region's own view at <c>/api/overview</c> (its replication
/// per target, its peers as its monitor sees them), <c>/api/failovers</c> and <c>/api/whoami</c>. Here us-east-1 has a peer,
/// eu-west-1, that never answers: no primary is elected, and replication towards it only queues.
/// </summary>
public sealed class DashboardEndpointTests
{
    private const string ReadKey = "read-key-0123456789";

    [Fact]
    public async Task ThePage_IsServedAtDashboard_WithItsFiles_UnderTheContentSecurityPolicy()
    {
        await using var region = await TestRegion.StartAsync();

        using var page = await region.Client.GetAsync("dashboard");
        using var script = await region.Client.GetAsync("dashboard/assets/app.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/dashboard/assets/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Overview_IsServedByTheRegion_WithItsOwnReplicationPerTarget_AndItsPeerWithoutEpochOrReplication()
    {
        await using var region = await StartWithSilentPeerAsync();
        using var upload = await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
        upload.EnsureSuccessStatusCode();

        var overview = await OverviewAsync(region);

        Assert.Equal("us-east-1", (string?)overview["served_by"]);
        Assert.Equal(1000, (double)overview["probe_interval_ms"]!);
        Assert.Equal(["us-east-1", "eu-west-1"], Regions(overview).Select(r => (string?)r["name"]));
        var own = Region(overview, "us-east-1");
        Assert.Equal((true, null, 0L, false), ((bool)own["healthy"]!, (string?)own["why_out"], (long?)own["epoch"], (bool?)own["accepting_strong_writes"]));
        var towardsPeer = own["replication"]!["eu-west-1"]!;
        Assert.True((long)towardsPeer["pending"]! >= 1, towardsPeer.ToJsonString());
        Assert.NotNull(towardsPeer["lag_ms"]);
        Assert.Single(own["replication"]!.AsObject());
        var peer = Region(overview, "eu-west-1");
        Assert.False((bool)peer["healthy"]!);
        Assert.False(string.IsNullOrEmpty((string?)peer["why_out"]));
        Assert.Null(peer["epoch"]);
        Assert.Null(peer["accepting_strong_writes"]);
        Assert.Empty(peer["replication"]!.AsObject());
    }

    [Fact]
    public async Task Overview_LagHistory_HasTheRegionsOwnLinks_AndABadSinceIs400()
    {
        await using var region = await StartWithSilentPeerAsync();

        // The sampler records once a second from the start.
        var overview = await OverviewAsync(region);
        for (var until = DateTime.UtcNow.AddSeconds(20); History(overview).Count == 0 && DateTime.UtcNow < until; overview = await OverviewAsync(region))
        {
            await Task.Delay(200);
        }

        Assert.NotEmpty(History(overview));
        var sample = History(overview)[0];
        Assert.Equal(["us-east-1→eu-west-1"], sample["lag_ms"]!.AsObject().Select(link => link.Key));
        Assert.Empty(History(await OverviewAsync(region, "?since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture)))));
        using var bad = await region.Client.GetAsync("api/overview?since=yesterday-ish");
        await Json.AssertProblemAsync(bad, 400, "BAD_INPUT");
    }

    [Fact]
    public async Task Failovers_IsEmptyBeforeAnyChangeOfPrimary()
    {
        await using var region = await StartWithSilentPeerAsync();

        using var response = await region.Client.GetAsync("api/failovers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WithKeys_ThePageIsPublic_TheDataNeedsAKey_AndWhoAmINamesIt()
    {
        await using var region = await StartWithSilentPeerAsync(new AuthOptions
        {
            ApiKeys = [new ApiKeyOptions { Name = "reader", KeySha256 = ConfigLoader.HashApiKey(ReadKey), Role = ApiRole.Read }],
        });
        using var reader = region.ClientWithKey(ReadKey);

        using var page = await region.Client.GetAsync("dashboard");
        using var asset = await region.Client.GetAsync("dashboard/assets/style.css");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (page.StatusCode, asset.StatusCode));
        foreach (var path in new[] { "api/overview", "api/failovers", "api/whoami" })
        {
            using var anonymous = await region.Client.GetAsync(path);
            using var withKey = await reader.GetAsync(path);
            await Json.AssertProblemAsync(anonymous, 401, "UNAUTHORIZED");
            Assert.True(withKey.StatusCode == HttpStatusCode.OK, $"{path}: {(int)withKey.StatusCode}");
        }

        Assert.Equal("""{"name":"reader","role":"read","keys_required":true}""", await reader.GetStringAsync("api/whoami"));
    }

    [Fact]
    public async Task WhoAmI_WithoutKeysConfigured_IsAnonymousAdmin()
    {
        await using var region = await TestRegion.StartAsync();

        Assert.Equal("""{"name":"anonymous","role":"admin","keys_required":false}""", await region.Client.GetStringAsync("api/whoami"));
    }

    /// <summary>us-east-1 (replicating to eu-west-1) with eu-west-1 at a port nothing listens on.</summary>
    private static Task<TestRegion> StartWithSilentPeerAsync(AuthOptions? auth = null)
    {
        var ports = FreePorts.Take(2);
        return TestRegion.StartAsync(options => options with
        {
            Server = options.Server with { Port = ports[0] },
            Auth = auth ?? options.Auth,
            Region = new RegionOptions
            {
                Enabled = true,
                CurrentRegion = "us-east-1",
                Regions = ["us-east-1", "eu-west-1"],
                Endpoints = new Dictionary<string, Uri> { ["us-east-1"] = new($"http://127.0.0.1:{ports[0]}"), ["eu-west-1"] = new($"http://127.0.0.1:{ports[1]}") },
                ReplicationEnabled = true,
                ReplicationRegions = ["eu-west-1"],
                Secret = "a-shared-secret-of-enough-length",
                HealthCheckIntervalSeconds = 1,
            },
        });
    }

    private static async Task<JsonNode> OverviewAsync(TestRegion region, string query = "") =>
        JsonNode.Parse(await region.Client.GetStringAsync("api/overview" + query))!;

    private static List<JsonNode> Regions(JsonNode overview) => [.. overview["regions"]!.AsArray().Select(r => r!)];

    private static JsonNode Region(JsonNode overview, string name) => Regions(overview).Single(r => (string?)r["name"] == name);

    private static List<JsonNode> History(JsonNode overview) => [.. overview["lag_history"]!.AsArray().Select(s => s!)];
}
