using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Destinations;
using GhidraInsight.Gateway.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Gateway.Tests.Support;

/// <summary>An in-process <see cref="GatewayHost"/> on a free loopback port in front of <see cref="ScriptedRegion"/>s, with a client for it.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private TestGateway(GatewayHost host, IReadOnlyList<ScriptedRegion> regions)
    {
        Host = host;
        Regions = regions;
        Client = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public GatewayHost Host { get; }
    public IReadOnlyList<ScriptedRegion> Regions { get; }
    public HttpClient Client { get; }
    public ScriptedRegion this[string name] => Regions.Single(r => r.Name == name);

    /// <summary>
    /// Regions a, b, c (a the primary), each 100 ms farther than the one before as the probes see it, so the nearest order is a, b, c;
    /// probes every <paramref name="probeIntervalMs"/> after the first.
    /// </summary>
    public static async Task<TestGateway> StartAsync(Func<GhidraOptions, GhidraOptions>? adjust = null, int probeIntervalMs = 60_000, params string[] names)
    {
        names = names.Length == 0 ? ["a", "b", "c"] : names;
        var regions = new List<ScriptedRegion>();
        foreach (var name in names)
        {
            var region = await ScriptedRegion.StartAsync(name, primary: names[0]);
            region.HealthDelay = TimeSpan.FromMilliseconds(100 * regions.Count);
            regions.Add(region);
        }

        var options = new GhidraOptions
        {
            Server = new ServerOptions { MaxUploadBytes = 1 << 20 },
            Region = new RegionOptions
            {
                Enabled = true,
                CurrentRegion = names[0],
                Regions = names,
                Endpoints = regions.ToDictionary(r => r.Name, r => r.Endpoint),
                PrimaryRegion = names[0],
            },
            Gateway = new GatewayOptions { Port = 0, ProbeIntervalMs = probeIntervalMs },
        };
        var host = await GatewayHost.StartAsync(adjust?.Invoke(options) ?? options, logging => logging.ClearProviders());
        // The first probe of a fresh process can be slow for any region (connections, the JIT, a loaded machine); probe again
        // until the gateway sees the order the delays make, which the tests rely on, so it is not left to that first sample.
        for (var round = 0; round < 40 && !InNearestOrder(host.Regions(), names); round++)
        {
            await host.ProbeNowAsync();
        }
        return new TestGateway(host, regions);
    }

    /// <summary>
    /// Whether the smoothed latencies order the regions as named, the first under 50 ms and each at least 50 ms behind the one
    /// before (they settle at 0, 100, 200 ms), so one fast request to a farther region does not reorder them (true when a region
    /// has none: a test made it fail).
    /// </summary>
    private static bool InNearestOrder(IReadOnlyList<GatewayRegionSnapshot> seen, string[] names)
    {
        var latencies = names.Select(name => seen.Single(s => s.Name == name).SmoothedLatencyMs).ToList();
        return latencies.Any(l => l is null)
            || (latencies[0] < 50 && latencies.Zip(latencies.Skip(1)).All(pair => pair.First + 50 < pair.Second));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        foreach (var region in Regions)
        {
            await region.DisposeAsync();
        }
    }
}
