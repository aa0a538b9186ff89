using System.Net;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

public sealed class HealthAndMetricsTests
{
    [Fact]
    public async Task Health_OfASingleRegion_SaysHealthyPrimaryAtEpochOne()
    {
        await using var region = await TestRegion.StartAsync();
        using var response = await region.Client.GetAsync("health");
        var health = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", (string?)health["status"]);
        Assert.Equal("test-1", (string?)health["region"]);
        Assert.True((double)health["latency_ms"]! >= 0);
        Assert.Equal("primary", (string?)health["role"]);
        Assert.Equal("test-1", (string?)health["primary"]);
        Assert.Equal(1, (int?)health["epoch"]);
        Assert.Empty(health["replication"]!.AsObject());
        Assert.Equal(HttpStatusCode.OK, (await region.Client.GetAsync("health/live")).StatusCode);
    }

    [Fact]
    public async Task Health_WhenTheDatabaseIsGone_Is503Unhealthy_WhileLiveStays200()
    {
        await using var region = await TestRegion.StartAsync();
        foreach (var file in Directory.GetFiles(region.DataDir))
        {
            File.Delete(file);
        }
        using var response = await region.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", (string?)(await Json.ReadAsync(response))["status"]);
        Assert.Equal(HttpStatusCode.OK, (await region.Client.GetAsync("health/live")).StatusCode);
    }

    [Fact]
    public async Task Metrics_CountRequestsAnalysesAndQueue_InPrometheusText()
    {
        await using var region = await TestRegion.StartAsync();
        await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
        await region.Client.GetAsync("api/analyses");

        using var response = await region.Client.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(1, MetricsText.Sum(text, "ghidrainsight_analyses_stored"));
        Assert.Equal(1, MetricsText.Sum(text, "ghidrainsight_analyses_performed_total"));
        Assert.Equal(0, MetricsText.Sum(text, "ghidrainsight_analysis_queue_depth"));
        Assert.True(MetricsText.Sum(text, "http_requests_received_total") >= 2);
        Assert.Contains("http_request_duration_seconds_bucket", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsExposition_PassesPromtoolCheck()
    {
        await using var region = await TestRegion.StartAsync();
        await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
        await region.Client.GetAsync("api/analyses/zz");
        var text = await region.Client.GetStringAsync("metrics");

        var (exitCode, problems) = ExternalTool.RunWithInput("promtool", text, "check", "metrics");

        Assert.True(exitCode == 0, problems);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        await using var region = await TestRegion.StartAsync();
        var document = await Json.ReadAsync(await region.Client.GetAsync("openapi/v1.json"));
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/analyze", paths);
        Assert.Contains("/api/analyses/{id}", paths);
        Assert.Contains("/api/analyses/{id}/annotations/{address}", paths);
        Assert.Contains("/health", paths);
    }
}
