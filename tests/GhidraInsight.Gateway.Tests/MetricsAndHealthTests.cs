using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Gateway.Tests;

/// <summary>The gateway's own <c>/health</c>, <c>/api/regions</c> and <c>/metrics</c>.</summary>
public sealed class MetricsAndHealthTests
{
    [Fact]
    public async Task Metrics_CountAttemptsRetriesRoutingAndReroutes_InTextPromtoolAccepts()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["a"].Answer(503);
        for (var i = 0; i < 3; i++)
        {
            using var read = await gateway.Client.GetAsync("api/analyses/x");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var text = await gateway.Client.GetStringAsync("metrics");

        Assert.Equal(3, Sample(text, "ghidrainsight_gateway_attempts_total", "region=\"a\",outcome=\"refused\""));
        Assert.Equal(3, Sample(text, "ghidrainsight_gateway_attempts_total", "region=\"b\",outcome=\"relayed\""));
        Assert.Equal(3, Sample(text, "ghidrainsight_gateway_retries_total", "region=\"a\",reason=\"answer\""));
        Assert.Equal(3, Sample(text, "ghidrainsight_gateway_routing_decisions_total", "decision=\"nearest\",region=\"a\""));
        Assert.Equal(3, Sample(text, "ghidrainsight_gateway_reroute_seconds_count", ""));
        Assert.Equal(1, Sample(text, "ghidrainsight_gateway_region_healthy", "region=\"c\""));
        Assert.True(Sample(text, "ghidrainsight_gateway_probes_total", "region=\"a\",result=\"ok\"") >= 1);
        var (exitCode, output) = ExternalTool.RunWithInput("promtool", text, "check", "metrics");
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Health_IsHealthyWhileARegionServes_AndNamesWhichAndWhyTheOthersAreOut()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["b"].HealthStatus = 503;
        await gateway["c"].StopAsync();
        await gateway.Host.ProbeNowAsync();

        using var response = await gateway.Client.GetAsync("health");
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (string?)health["status"]);
        Assert.Equal(["a"], health["serving"]!.AsArray().Select(r => (string?)r));
        Assert.Equal("a", (string?)health["primary"]);
        Assert.Contains("503", (string?)health["out"]!["b"], StringComparison.Ordinal);
        Assert.NotNull((string?)health["out"]!["c"]);

        var regions = JsonNode.Parse(await gateway.Client.GetStringAsync("api/regions"))!;
        Assert.True((bool)regions["a"]!["healthy"]!);
        Assert.NotNull(regions["a"]!["latency_ms"]);
        Assert.NotNull(regions["a"]!["last_check"]);
        Assert.False((bool)regions["b"]!["healthy"]!);
        Assert.Equal("primary", (string?)regions["a"]!["role"]);
    }

    [Fact]
    public async Task Regions_CarryTheFailoverHistory_AskedOfThePrimaryFirst_WithTheCallersKey_ThenOfTheNextRegion()
    {
        const string ReadKey = "a-read-key-of-the-dashboard-user";
        await using var gateway = await TestGateway.StartAsync(o => o with
        {
            Auth = new AuthOptions { ApiKeys = [new ApiKeyOptions { Name = "reader", KeySha256 = ConfigLoader.HashApiKey(ReadKey), Role = ApiRole.Read }] },
        });
        // The primary a cannot answer; b can: history ends with a back as primary in epoch 3.
        gateway["a"].Answer(503);
        gateway["b"].Handler = context => context.Response.WriteAsync("""
            [{"at":"2030-01-01T00:00:00+00:00","from":"a","to":"b","epoch":2,"reason":"manual"},
             {"at":"2030-01-01T00:01:00+00:00","from":"b","to":"a","epoch":3,"reason":"health"}]
            """);
        gateway["c"].Answer(500);

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/regions") { Headers = { { "X-API-Key", ReadKey } } };
        using var response = await gateway.Client.SendAsync(request);
        var regions = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([3L], regions["a"]!["failovers"]!.AsArray().Select(f => (long)f!["epoch"]!));
        Assert.Equal([("a", "b", 2L, "manual")], regions["b"]!["failovers"]!.AsArray()
            .Select(f => ((string?)f!["from"], (string?)f["to"], (long)f["epoch"]!, (string?)f["reason"])));
        Assert.Empty(regions["c"]!["failovers"]!.AsArray());
        Assert.Equal(["/api/failovers"], gateway["a"].Requests.Select(r => r.Path));
        Assert.Equal(["/api/failovers"], gateway["b"].Requests.Select(r => r.Path));
        Assert.Empty(gateway["c"].Requests);
        Assert.Equal(ReadKey, gateway["b"].Requests[0].Headers["X-API-Key"]);
    }

    [Fact]
    public async Task Regions_WhenNoRegionGivesTheFailoverHistory_AreStillShown_WithoutIt()
    {
        await using var gateway = await TestGateway.StartAsync();
        gateway["a"].Answer(503);
        gateway["b"].Handler = context => context.Response.WriteAsync("not json");
        gateway["c"].Answer(401);

        using var response = await gateway.Client.GetAsync("api/regions");
        var regions = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(["a", "b", "c"], name => Assert.Empty(regions[name]!["failovers"]!.AsArray()));
        Assert.Equal("primary", (string?)regions["a"]!["role"]);
    }

    [Fact]
    public async Task ARegionAnsweringUnderAnotherName_IsKeptOut()
    {
        await using var gateway = await TestGateway.StartAsync();
        // b's endpoint is configured wrong: it points at a.
        await using var wrong = await TestGateway.StartAsync(o => o with
        {
            Region = o.Region with { Endpoints = new Dictionary<string, Uri>(o.Region.Endpoints) { ["b"] = gateway["a"].Endpoint } },
        });

        var health = JsonNode.Parse(await wrong.Client.GetStringAsync("health"))!;

        Assert.Contains("answers as region 'a'", (string?)health["out"]!["b"], StringComparison.Ordinal);
    }

    private static double Sample(string exposition, string name, string labels) => exposition.Split('\n')
        .Where(line => line.StartsWith(labels.Length == 0 ? name + " " : $"{name}{{{labels}}} ", StringComparison.Ordinal))
        .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
        .FirstOrDefault();
}
