using GhidraInsight.Configuration;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Forwarding;
using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
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
        await using var services = RegionServices.Build(Options(b, c), _time, probes: handler);
        var manager = services.GetRequiredService<MultiRegionManager>();
        var monitor = services.GetRequiredService<PeerMonitor>();
        handler.SetLatency(b.Address, TimeSpan.FromMilliseconds(50));
        handler.SetLatency(c.Address, TimeSpan.FromMilliseconds(20));

        // One region at a time, so each probe's simulated latency is its own.
        await monitor.ProbeAsync("b", null, default);
        await monitor.ProbeAsync("c", null, default);
        Assert.Equal("c", manager.GetBestRegion());

        c.StatusCode = 503;
        await monitor.ProbeAsync("c", null, default);
        Assert.Equal("b", manager.GetBestRegion());
    }

    [Fact]
    public async Task The_best_region_falls_back_to_the_current_one_when_no_other_is_healthy()
    {
        await using var b = await FakeRegion.StartAsync("b");
        await using var services = RegionServices.Build(Options(b), _time);
        var manager = services.GetRequiredService<MultiRegionManager>();
        Assert.Equal("a", manager.GetBestRegion());

        await b.StopAsync();
        await manager.CheckAllRegionsAsync();
        Assert.Equal("a", manager.GetBestRegion());
    }

    [Fact]
    public async Task Initialize_probes_every_region_once_so_status_is_known_from_the_start()
    {
        await using var b = await FakeRegion.StartAsync("b");
        await using var services = RegionServices.Build(Options(b), _time);
        var manager = services.GetRequiredService<MultiRegionManager>();
        Assert.False(manager.GetRegionStatus()["b"].Healthy);

        await manager.InitializeAsync();

        Assert.True(manager.GetRegionStatus()["b"].Healthy);
    }

    [Fact]
    public async Task Region_status_lists_every_region_in_configuration_order_including_the_current_primary()
    {
        await using var b = await FakeRegion.StartAsync("b");
        await using var services = RegionServices.Build(Options(b), _time);
        var manager = services.GetRequiredService<MultiRegionManager>();

        var statuses = await manager.CheckAllRegionsAsync();

        Assert.Equal(["a", "b"], statuses.Keys);
        Assert.Equal(new RegionStatus(true, 0, _time.GetUtcNow(), null, "primary", 0), statuses["a"]);
        Assert.True(statuses["b"].Healthy);
        Assert.Equal("replica", statuses["b"].Role);
        Assert.True(manager.IsCurrentRegionPrimary);
        Assert.Equal("a", manager.PrimaryRegion);
    }

    [Fact]
    public async Task Replicate_to_all_without_targets_hands_over_at_once_and_a_wait_for_acknowledgement_fails()
    {
        await using var services = RegionServices.Build(Options(), _time);
        var manager = services.GetRequiredService<MultiRegionManager>();

        Assert.True(await manager.ReplicateToAllAsync());
        Assert.False(await manager.ReplicateToAllAsync(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task Routing_to_the_primary_forwards_the_callers_request_unsigned_and_names_who_forwarded_and_accepted()
    {
        string? seen = null;
        await using var primary = await LoopbackServer.StartAsync(app => app.MapPut("/api/analyses/{id}/annotations/{address}", (HttpContext context) =>
        {
            seen = $"{context.Request.Path}{context.Request.QueryString}|{context.Request.Headers.Authorization}|{context.Request.Headers.ContainsKey(RegionHeaders.Signature)}"
                + $"|{context.Request.Headers[ForwardingHeaders.ForwardedBy]}";
            return Results.Text("stored", statusCode: 201);
        }));
        var options = new RegionOptions
        {
            Enabled = true,
            CurrentRegion = "b",
            Regions = ["a", "b"],
            PrimaryRegion = "a",
            Endpoints = new Dictionary<string, Uri> { ["a"] = primary.Address, ["b"] = new("http://127.0.0.1:1") },
        };
        await using var services = RegionServices.Build(options, TimeProvider.System);
        var manager = services.GetRequiredService<MultiRegionManager>();
        await using var replica = await LoopbackServer.StartAsync(app => app.MapPut("/api/analyses/{id}/annotations/{address}",
            async (HttpContext context) =>
            {
                await manager.RouteToPrimaryAsync(context);
            }));
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(replica.Address, "/api/analyses/ab/annotations/0x10?x=1")) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer user-key");

        using var response = await client.SendAsync(request);

        Assert.False(manager.IsCurrentRegionPrimary);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("stored", await response.Content.ReadAsStringAsync());
        Assert.Equal("/api/analyses/ab/annotations/0x10?x=1|Bearer user-key|False|b", seen);
        Assert.Equal("a", response.Headers.GetValues(ForwardingHeaders.AcceptedBy).Single());
    }

    private static RegionOptions Options(params FakeRegion[] peers) => new()
    {
        Enabled = true,
        CurrentRegion = "a",
        Regions = ["a", .. peers.Select(p => p.Name)],
        Endpoints = peers.ToDictionary(p => p.Name, p => p.Address),
        FailureThreshold = 1,
        SuccessThreshold = 1,
    };
}
