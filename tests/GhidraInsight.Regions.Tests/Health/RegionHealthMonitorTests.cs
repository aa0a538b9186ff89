using System.Diagnostics;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Health;

public sealed class RegionHealthMonitorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLogger<RegionHealthMonitor> _logger = new();

    [Fact]
    public async Task A_region_answering_health_is_up_with_its_reported_role_and_epoch()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        peer.Role = "primary";
        peer.Epoch = 7;
        using var http = new HttpClient();
        var monitor = Monitor(http, peer);

        var status = (await monitor.CheckAllRegionsAsync())["b"];

        Assert.True(status.Healthy);
        Assert.Null(status.Error);
        Assert.Equal("primary", status.Role);
        Assert.Equal(7, status.Epoch);
        Assert.Equal(_time.GetUtcNow(), status.LastCheck);
    }

    [Fact]
    public async Task A_region_is_unknown_and_not_healthy_before_any_probe()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        using var http = new HttpClient();

        var status = Monitor(http, peer).Snapshot()["b"];

        Assert.False(status.Healthy);
        Assert.Null(status.LastCheck);
    }

    [Fact]
    public async Task A_region_goes_down_only_after_failure_threshold_failures_and_up_only_after_success_threshold_successes()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        using var http = new HttpClient();
        var monitor = Monitor(http, peer, failureThreshold: 3, successThreshold: 2);
        Assert.True((await monitor.CheckAllRegionsAsync())["b"].Healthy);

        peer.StatusCode = 503;
        Assert.True((await monitor.CheckAllRegionsAsync())["b"].Healthy);
        var second = (await monitor.CheckAllRegionsAsync())["b"];
        Assert.True(second.Healthy);
        Assert.Equal("HTTP 503 from /health", second.Error);
        Assert.False((await monitor.CheckAllRegionsAsync())["b"].Healthy);
        Assert.Equal(1, _logger.Count(1001));

        peer.StatusCode = 200;
        var firstBack = (await monitor.CheckAllRegionsAsync())["b"];
        Assert.False(firstBack.Healthy);
        Assert.Null(firstBack.Error);
        Assert.True((await monitor.CheckAllRegionsAsync())["b"].Healthy);
    }

    [Fact]
    public async Task A_single_success_between_failures_does_not_bring_a_down_region_back()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        using var http = new HttpClient();
        var monitor = Monitor(http, peer, failureThreshold: 1, successThreshold: 2);
        await monitor.CheckAllRegionsAsync();
        peer.StatusCode = 503;
        Assert.False((await monitor.CheckAllRegionsAsync())["b"].Healthy);

        foreach (var code in new[] { 200, 503, 200, 503 })
        {
            peer.StatusCode = code;
            Assert.False((await monitor.CheckAllRegionsAsync())["b"].Healthy);
        }
    }

    [Fact]
    public async Task A_closed_listener_counts_as_a_failure_with_the_error()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        using var http = new HttpClient();
        var monitor = Monitor(http, peer, failureThreshold: 1);
        Assert.True((await monitor.CheckAllRegionsAsync())["b"].Healthy);

        await peer.StopAsync();
        var status = (await monitor.CheckAllRegionsAsync())["b"];

        Assert.False(status.Healthy);
        Assert.False(string.IsNullOrEmpty(status.Error));
        Assert.Equal(1, status.ConsecutiveFailures);
    }

    [Fact]
    public async Task An_endpoint_answering_as_another_region_is_a_failure()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        peer.ClaimedName = "c";
        using var http = new HttpClient();

        var status = (await Monitor(http, peer).CheckAllRegionsAsync())["b"];

        Assert.False(status.Healthy);
        Assert.Contains("'c'", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_probe_that_hangs_fails_at_the_cross_region_timeout()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        peer.Delay = TimeSpan.FromMinutes(5);
        using var http = new HttpClient();
        var options = Options(peer) with { CrossRegionTimeoutSeconds = 1 };
        var monitor = new RegionHealthMonitor(options, http, TimeProvider.System, _logger);

        var watch = Stopwatch.StartNew();
        var status = (await monitor.CheckAllRegionsAsync())["b"];

        Assert.Equal("timed out after 1 s", status.Error);
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Latency_is_the_last_probe_and_smoothed_latency_an_ewma_with_alpha_0_3()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        var handler = new ClockAdvancingHandler(_time);
        using var http = new HttpClient(handler);
        var monitor = Monitor(http, peer);

        handler.SetLatency(peer.Address, TimeSpan.FromMilliseconds(100));
        await monitor.CheckAllRegionsAsync();
        handler.SetLatency(peer.Address, TimeSpan.FromMilliseconds(200));
        var status = (await monitor.CheckAllRegionsAsync())["b"];

        Assert.Equal(200, status.LatencyMs!.Value, 6);
        Assert.Equal(130, status.SmoothedLatencyMs!.Value, 6);
    }

    private RegionHealthMonitor Monitor(HttpClient http, FakeRegion peer, int failureThreshold = 2, int successThreshold = 2) =>
        new(Options(peer) with { FailureThreshold = failureThreshold, SuccessThreshold = successThreshold }, http, _time, _logger);

    private static RegionOptions Options(params FakeRegion[] peers) => new()
    {
        Enabled = true,
        CurrentRegion = "a",
        Regions = ["a", .. peers.Select(p => p.Name)],
        Endpoints = peers.ToDictionary(p => p.Name, p => p.Address),
        CrossRegionTimeoutSeconds = 30,
    };
}
