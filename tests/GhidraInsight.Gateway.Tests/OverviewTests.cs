using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Tests.Support;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Gateway.Tests;

/// <summary>The dashboard's data from the gateway: <c>/api/overview</c> (every region as probed, with the lag of the last minutes) and <c>/api/whoami</c>.</summary>
public sealed class OverviewTests
{
    private const string ReadKey = "read-key-0123456789";

    [Fact]
    public async Task Overview_ListsEveryRegionWithItsReplicationPerTarget_AndARegionStoppedIsOutWithWhy()
    {
        await using var gateway = await TestGateway.StartAsync();
        Report(gateway);
        await gateway.Host.ProbeNowAsync();

        var overview = await OverviewAsync(gateway);

        Assert.Equal("gateway", (string?)overview["served_by"]);
        Assert.Equal(("a", 1L), ((string?)overview["primary"], (long)overview["epoch"]!));
        Assert.Equal(60_000, (double)overview["probe_interval_ms"]!);
        Assert.Equal(["a", "b", "c"], Regions(overview).Select(r => (string?)r["name"]));
        var a = Region(overview, "a");
        Assert.Equal((true, null, "primary", 1L, true), ((bool)a["healthy"]!, (string?)a["why_out"], (string?)a["role"], (long?)a["epoch"], (bool?)a["accepting_strong_writes"]));
        Assert.Equal((12.5, 3L, false), ((double)a["replication"]!["b"]!["lag_ms"]!, (long)a["replication"]!["b"]!["pending"]!, (bool)a["replication"]!["b"]!["past_retention"]!));
        Assert.Equal((0.0, 0L), ((double)a["replication"]!["c"]!["lag_ms"]!, (long)a["replication"]!["c"]!["pending"]!));
        Assert.Equal("connection refused", (string?)Region(overview, "b")["replication"]!["c"]!["error"]);
        Assert.Equal(("replica", false), ((string?)Region(overview, "b")["role"], (bool?)Region(overview, "b")["accepting_strong_writes"]));
        Assert.All(Regions(overview), r => Assert.NotNull(r["latency_ms"]));

        await gateway["c"].StopAsync();
        await gateway.Host.ProbeNowAsync();
        var after = await OverviewAsync(gateway);

        var c = Region(after, "c");
        Assert.False((bool)c["healthy"]!);
        Assert.False(string.IsNullOrEmpty((string?)c["why_out"]));
        Assert.True((bool)Region(after, "a")["healthy"]!);
        Assert.True((bool)Region(after, "b")["healthy"]!);
    }

    [Fact]
    public async Task LagHistory_GetsSamplesKeyedFromArrowTo_AndSinceReturnsOnlyLaterOnes()
    {
        await using var gateway = await TestGateway.StartAsync();
        Report(gateway);

        // Samples are at least 900 ms apart: probe until one taken after the reports changed is kept.
        var overview = await OverviewAsync(gateway);
        for (var until = DateTime.UtcNow.AddSeconds(20); !LagHistory(overview).Any(s => s["lag_ms"]!.AsObject().ContainsKey("a→b")) && DateTime.UtcNow < until;)
        {
            await Task.Delay(100);
            await gateway.Host.ProbeNowAsync();
            overview = await OverviewAsync(gateway);
        }

        Assert.True(LagHistory(overview).Any(s => s["lag_ms"]!.AsObject().ContainsKey("a→b")), "no sample of the reported lag within 20 s");
        var newest = LagHistory(overview)[^1];
        Assert.Equal(12.5, (double)newest["lag_ms"]!["a→b"]!);
        Assert.Equal(0.0, (double)newest["lag_ms"]!["a→c"]!);
        Assert.Equal(40.0, (double)newest["lag_ms"]!["b→a"]!);
        Assert.Equal(4, newest["lag_ms"]!.AsObject().Count);
        var times = LagHistory(overview).Select(s => DateTimeOffset.Parse((string)s["at"]!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);

        var sinceNewest = await OverviewAsync(gateway, "?since=" + Uri.EscapeDataString((string)newest["at"]!));
        var sinceFuture = await OverviewAsync(gateway, "?since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture)));
        var sinceLongAgo = await OverviewAsync(gateway, "?since=2000-01-01T00:00:00Z");

        Assert.Empty(LagHistory(sinceNewest));
        Assert.Empty(LagHistory(sinceFuture));
        Assert.Equal(3, Regions(sinceFuture).Count);
        Assert.True(LagHistory(sinceLongAgo).Count >= LagHistory(overview).Count);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("2026-13-45")]
    public async Task Overview_SinceThatIsNotADate_Is400Problem(string since)
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.GetAsync("api/overview?since=" + Uri.EscapeDataString(since));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("BAD_INPUT", (string?)problem["code"]);
    }

    [Fact]
    public async Task WhoAmI_WithAReadKey_NamesTheKeyAndItsRole_AndWithoutOneIs401()
    {
        await using var gateway = await TestGateway.StartAsync(o => o with
        {
            Auth = new AuthOptions { ApiKeys = [new ApiKeyOptions { Name = "reader", KeySha256 = ConfigLoader.HashApiKey(ReadKey), Role = ApiRole.Read }] },
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/whoami");
        request.Headers.Add("X-API-Key", ReadKey);

        using var withKey = await gateway.Client.SendAsync(request);
        using var without = await gateway.Client.GetAsync("api/whoami");
        using var wrong = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/whoami") { Headers = { { "X-API-Key", "not-a-key" } } });

        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal("""{"name":"reader","role":"read","keys_required":true}""", await withKey.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.All(gateway.Regions, r => Assert.Empty(r.Requests));
    }

    [Fact]
    public async Task WhoAmI_WithoutKeysConfigured_IsAnonymousAdmin_AndSaysNoKeysAreRequired()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await gateway.Client.GetAsync("api/whoami");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"name":"anonymous","role":"admin","keys_required":false}""", await response.Content.ReadAsStringAsync());
    }

    /// <summary>a (primary) lags 12.5 ms behind b with 3 writes pending and is caught up with c; b lags behind a and fails to reach c.</summary>
    private static void Report(TestGateway gateway)
    {
        gateway["a"].Replication = new Dictionary<string, ReplicationHealth> { ["b"] = new(12.5, 3), ["c"] = new(0, 0) };
        gateway["b"].Replication = new Dictionary<string, ReplicationHealth> { ["a"] = new(40, 1), ["c"] = new(250, 7, Error: "connection refused") };
    }

    private static async Task<JsonNode> OverviewAsync(TestGateway gateway, string query = "") =>
        JsonNode.Parse(await gateway.Client.GetStringAsync("api/overview" + query))!;

    private static List<JsonNode> Regions(JsonNode overview) => [.. overview["regions"]!.AsArray().Select(r => r!)];

    private static JsonNode Region(JsonNode overview, string name) => Regions(overview).Single(r => (string?)r["name"] == name);

    private static List<JsonNode> LagHistory(JsonNode overview) => [.. overview["lag_history"]!.AsArray().Select(s => s!)];
}
