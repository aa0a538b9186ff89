using GhidraInsight.Regions.Failover;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Security;
using GhidraInsight.Regions.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests;

public sealed class MultiRegionManagerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task The_best_region_is_the_healthy_one_with_the_lowest_smoothed_latency()
    {
        await using var b = await FakeRegion.StartAsync("b");
        await using var c = await FakeRegion.StartAsync("c");
        var handler = new ClockAdvancingHandler(_time);
        using var http = new HttpClient(handler);
        var (manager, monitor) = Create(http, b, c);
        handler.SetLatency(b.Address, TimeSpan.FromMilliseconds(50));
        handler.SetLatency(c.Address, TimeSpan.FromMilliseconds(20));

        // One region at a time, so each probe's simulated latency is its own.
        await monitor.ProbeAsync("b", default);
        await monitor.ProbeAsync("c", default);
        Assert.Equal("c", manager.GetBestRegion());

        c.StatusCode = 503;
        await monitor.ProbeAsync("c", default);
        Assert.Equal("b", manager.GetBestRegion());
    }

    [Fact]
    public async Task The_best_region_falls_back_to_the_current_one_when_no_other_is_healthy()
    {
        await using var b = await FakeRegion.StartAsync("b");
        using var http = new HttpClient();
        var (manager, _) = Create(http, b);
        Assert.Equal("a", manager.GetBestRegion());

        await b.StopAsync();
        await manager.CheckAllRegionsAsync();
        Assert.Equal("a", manager.GetBestRegion());
    }

    [Fact]
    public async Task Region_status_lists_every_region_including_the_current_primary()
    {
        await using var b = await FakeRegion.StartAsync("b");
        using var http = new HttpClient();
        var (manager, _) = Create(http, b);

        var statuses = await manager.CheckAllRegionsAsync();

        Assert.Equal(["a", "b"], statuses.Keys.Order());
        Assert.Equal(new RegionStatus(true, 0, _time.GetUtcNow(), null, "primary", 0), statuses["a"]);
        Assert.True(statuses["b"].Healthy);
        Assert.Equal("replica", statuses["b"].Role);
        Assert.True(manager.IsCurrentRegionPrimary);
        Assert.Equal("a", manager.PrimaryRegion);
    }

    [Fact]
    public async Task Routing_to_the_primary_sends_the_callers_request_unsigned()
    {
        string? seen = null;
        await using var primary = await LoopbackServer.StartAsync(app => app.MapPut("/api/analyses/{id}/annotations/{address}", (HttpContext context) =>
        {
            seen = $"{context.Request.Path}{context.Request.QueryString}|{context.Request.Headers.Authorization}|{context.Request.Headers.ContainsKey(RegionHeaders.Signature)}";
            return Results.Ok();
        }));
        var options = new RegionOptions
        {
            Enabled = true,
            CurrentRegion = "b",
            Regions = ["a", "b"],
            Endpoints = new Dictionary<string, Uri> { ["a"] = primary.Address, ["b"] = new("http://127.0.0.1:1") },
        };
        using var http = new HttpClient();
        var manager = new MultiRegionManager(options, new RegionHealthMonitor(options, http, _time, new CapturingLogger<RegionHealthMonitor>()),
            new ReplicationService([], new FakeAnalysisStore(_time), _time), http, _time, PrimaryRole.Fixed(options, _time));
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("http://gateway.example/api/analyses/ab/annotations/0x10?x=1"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer user-key");

        using var response = await manager.RouteToPrimaryAsync(request);

        Assert.False(manager.IsCurrentRegionPrimary);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/api/analyses/ab/annotations/0x10?x=1|Bearer user-key|False", seen);
    }

    private (MultiRegionManager Manager, RegionHealthMonitor Monitor) Create(HttpClient http, params FakeRegion[] peers)
    {
        var options = new RegionOptions
        {
            Enabled = true,
            CurrentRegion = "a",
            Regions = ["a", .. peers.Select(p => p.Name)],
            Endpoints = peers.ToDictionary(p => p.Name, p => p.Address),
            FailureThreshold = 1,
            SuccessThreshold = 1,
        };
        var monitor = new RegionHealthMonitor(options, http, _time, new CapturingLogger<RegionHealthMonitor>());
        var replication = new ReplicationService([], new FakeAnalysisStore(_time), _time);
        return (new MultiRegionManager(options, monitor, replication, http, _time, PrimaryRole.Fixed(options, _time)), monitor);
    }
}
