using System.Diagnostics;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Health;

public sealed class PeerMonitorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLogger<PeerMonitor> _logger = new();

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
        var monitor = new PeerMonitor(new TestOptionsMonitor<RegionOptions>(options), PrimaryRole.Fixed(options), http, TimeProvider.System, _logger);

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

    [Fact]
    public async Task A_peer_not_known_to_be_up_is_reprobed_quickly_and_an_up_one_at_the_health_interval()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        using var http = new HttpClient();
        var monitor = Monitor(http, peer);

        Assert.Equal(PeerMonitor.ReprobeInterval, monitor.NextDelay("b"));
        await monitor.CheckAllRegionsAsync();
        Assert.Equal(TimeSpan.FromSeconds(5), monitor.NextDelay("b"));
        peer.StatusCode = 503;
        await monitor.CheckAllRegionsAsync();
        await monitor.CheckAllRegionsAsync();
        Assert.Equal(PeerMonitor.ReprobeInterval, monitor.NextDelay("b"));
    }

    [Fact]
    public async Task The_primary_is_watched_at_the_failover_check_interval_when_the_regions_fail_over_on_their_own()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        using var http = new HttpClient();
        var options = Options(peer) with
        {
            Regions = ["a", "b", "c"],
            Endpoints = new Dictionary<string, Uri> { ["a"] = new("http://127.0.0.1:1"), ["b"] = peer.Address, ["c"] = new("http://127.0.0.1:2") },
            FailoverEnabled = true,
            FailoverCheckIntervalMs = 120,
            Secret = new string('s', 32),
        };
        var settings = new TestOptionsMonitor<RegionOptions>(options);
        var role = PrimaryRole.Elected(options, _time);
        var monitor = new PeerMonitor(settings, role, http, _time, _logger);
        await monitor.CheckAllRegionsAsync();
        Assert.Equal(TimeSpan.FromSeconds(5), monitor.NextDelay("b"));

        role.Update(new PrimaryState("b", 1, []));

        Assert.Equal(TimeSpan.FromMilliseconds(120), monitor.NextDelay("b"));
        settings.Set(options with { FailoverCheckIntervalMs = 80 });
        Assert.Equal(TimeSpan.FromMilliseconds(80), monitor.NextDelay("b"));
        settings.Set(options with { FailoverEnabled = false });
        Assert.Equal(TimeSpan.FromSeconds(5), monitor.NextDelay("b"));
    }

    [Fact]
    public async Task Reloaded_thresholds_apply_to_the_next_probes()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        using var http = new HttpClient();
        var options = Options(peer) with { FailureThreshold = 5 };
        var settings = new TestOptionsMonitor<RegionOptions>(options);
        var monitor = new PeerMonitor(settings, PrimaryRole.Fixed(options, _time), http, _time, _logger);
        await monitor.CheckAllRegionsAsync();
        peer.StatusCode = 503;
        Assert.True((await monitor.CheckAllRegionsAsync())["b"].Healthy);

        settings.Set(options with { FailureThreshold = 2 });

        Assert.False((await monitor.CheckAllRegionsAsync())["b"].Healthy);
    }

    [Fact]
    public async Task A_region_that_comes_up_shows_as_up_well_within_the_health_interval()
    {
        await using var peer = await FakeRegion.StartAsync("b");
        peer.StatusCode = 503;
        using var http = new HttpClient();
        var options = Options(peer) with { HealthCheckIntervalSeconds = 60, SuccessThreshold = 2 };
        var monitor = new PeerMonitor(new TestOptionsMonitor<RegionOptions>(options), PrimaryRole.Fixed(options), http, TimeProvider.System, _logger);
        using var stop = new CancellationTokenSource();
        var running = monitor.RunAsync(stop.Token);
        await monitor.CheckAllRegionsAsync();
        Assert.False(monitor.Snapshot("b")!.Healthy);

        peer.StatusCode = 200;
        var watch = Stopwatch.StartNew();
        while (!monitor.Snapshot("b")!.Healthy && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await running;
        Assert.True(monitor.Snapshot("b")!.Healthy, "the peer was never probed again");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed} with a 60 s health interval");
    }

    private PeerMonitor Monitor(HttpClient http, FakeRegion peer, int failureThreshold = 2, int successThreshold = 2)
    {
        var options = Options(peer) with { FailureThreshold = failureThreshold, SuccessThreshold = successThreshold };
        return new(new TestOptionsMonitor<RegionOptions>(options), PrimaryRole.Fixed(options, _time), http, _time, _logger);
    }

    private static RegionOptions Options(params FakeRegion[] peers) => new()
    {
        Enabled = true,
        CurrentRegion = "a",
        Regions = ["a", .. peers.Select(p => p.Name)],
        Endpoints = peers.ToDictionary(p => p.Name, p => p.Address),
        CrossRegionTimeoutSeconds = 30,
    };
}
