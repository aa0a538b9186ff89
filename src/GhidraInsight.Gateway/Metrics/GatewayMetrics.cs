using System.Collections.Concurrent;
using GhidraInsight.Gateway.Destinations;
using Prometheus;

namespace GhidraInsight.Gateway.Metrics;

/// <summary>
/// The gateway's Prometheus metrics: attempts, retries and errors per region, routing decisions, how long routing around a dead
/// region took, requests no region could serve, and each region's health and latency as the gateway sees them.
/// </summary>
internal sealed class GatewayMetrics
{
    private readonly Counter _attempts;
    private readonly Counter _retries;
    private readonly Counter _routed;
    private readonly Counter _probes;
    private readonly Counter _unavailable;
    private readonly Histogram _routedAround;
    private readonly ConcurrentDictionary<(Counter Counter, string First, string Second), Counter.Child> _children = new();

    public GatewayMetrics(CollectorRegistry registry, RegionTable table)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _attempts = factory.CreateCounter("ghidrainsight_gateway_attempts_total",
            "Requests sent to a region, by how the attempt ended: relayed, refused (a retryable answer not relayed), transport_error.", ["region", "outcome"]);
        _retries = factory.CreateCounter("ghidrainsight_gateway_retries_total", "Requests sent on to the next region after this one failed, by why.", ["region", "reason"]);
        _routed = factory.CreateCounter("ghidrainsight_gateway_routing_decisions_total",
            "The first region chosen for each request, by why: nearest, client_region (X-Client-Region), primary (strong writes and strong reads).", ["decision", "region"]);
        _probes = factory.CreateCounter("ghidrainsight_gateway_probes_total", "Active /health probes of each region, by result.", ["region", "result"]);
        _unavailable = factory.CreateCounter("ghidrainsight_gateway_unavailable_total", "Requests answered 503 because no region could serve them.");
        _routedAround = factory.CreateHistogram("ghidrainsight_gateway_reroute_seconds",
            "Time from a request's first attempt to the attempt that succeeded elsewhere: what routing around a failing region cost.",
            new HistogramConfiguration { Buckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        var healthy = factory.CreateGauge("ghidrainsight_gateway_region_healthy", "1 while the region is in the gateway's rotation, else 0.", ["region"]);
        var latency = factory.CreateGauge("ghidrainsight_gateway_region_latency_seconds", "Smoothed latency of the region (probes and reads) as the gateway sees it.", ["region"]);
        _unavailable.Publish();
        _routedAround.Publish();
        registry.AddBeforeCollectCallback(() =>
        {
            foreach (var region in table.Snapshot())
            {
                healthy.WithLabels(region.Name).Set(region.Healthy ? 1 : 0);
                if (region.SmoothedLatencyMs is { } ms)
                {
                    latency.WithLabels(region.Name).Set(ms / 1000);
                }
            }
        });
    }

    public CollectorRegistry Registry { get; }

    public void Attempt(string region, string outcome) => Child(_attempts, region, outcome).Inc();

    public void Retried(string region, string reason) => Child(_retries, region, reason).Inc();

    public void Routed(string decision, string region) => Child(_routed, decision, region).Inc();

    public void Probed(string region, bool healthy) => _probes.WithLabels(region, healthy ? "ok" : "failed").Inc();

    public void Unavailable() => _unavailable.Inc();

    public void RoutedAround(TimeSpan elapsed) => _routedAround.Observe(elapsed.TotalSeconds);

    /// <summary>The labelled child, looked up once per label pair: the per-request counters cost a dictionary read, not an allocation.</summary>
    private Counter.Child Child(Counter counter, string first, string second) =>
        _children.GetOrAdd((counter, first, second), static key => key.Counter.WithLabels(key.First, key.Second));
}
