using Prometheus;

namespace GhidraInsight.Server.Metrics;

/// <summary>
/// This region's Prometheus metrics, in a registry of its own (several hosts may share a process in tests).
/// HTTP request counts and latencies come from prometheus-net's middleware on the same registry.
/// </summary>
internal sealed class ServerMetrics
{
    private readonly Counter _analysesPerformed;
    private readonly Gauge _analysesStored;
    private readonly Gauge _queueDepth;

    public ServerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _analysesPerformed = Factory.CreateCounter("ghidrainsight_analyses_performed_total", "Binaries analysed by this process (uploads of stored binaries are not re-analysed).", ["format"]);
        _analysesStored = Factory.CreateGauge("ghidrainsight_analyses_stored", "Analyses held in this region's store.");
        _queueDepth = Factory.CreateGauge("ghidrainsight_analysis_queue_depth", "Analyses running or waiting for a slot.");
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    public void AnalysisPerformed(string format) => _analysesPerformed.WithLabels(format).Inc();

    /// <summary>Refreshes the gauges that are read from elsewhere, just before each scrape.</summary>
    public void OnCollect(Func<CancellationToken, Task<long>> countStored, Func<int> queueDepth) =>
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            _analysesStored.Set(await countStored(cancellationToken).ConfigureAwait(false));
            _queueDepth.Set(queueDepth());
        });
}
