using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using GhidraInsight.Gateway.Tests.Support;

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
