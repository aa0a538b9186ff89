using GhidraInsight.Server.Analyses;
using GhidraInsight.Storage;
using Prometheus;

namespace GhidraInsight.Server.Metrics;

/// <summary>
/// The analysis API's Prometheus metrics, on the host's registry (one per host: several hosts may share a process in tests).
/// HTTP request counts and latencies come from prometheus-net's middleware on the same registry; the multi-region metrics
/// from <c>RegionMetrics</c>.
/// </summary>
internal sealed class ServerMetrics
{
    private readonly Counter _analysesPerformed;
    private readonly Counter _reanalyses;

    public ServerMetrics(CollectorRegistry registry, IAnalysisStore store, AnalysisQueue queue, DataFolderSpace space)
    {
        Registry = registry;
        Factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _analysesPerformed = Factory.CreateCounter("ghidrainsight_analyses_performed_total", "Binaries analysed by this process (uploads of stored binaries are not re-analysed).", ["format"]);
        _reanalyses = Factory.CreateCounter("ghidrainsight_reanalyses_total",
            "Results an older engine made that this region (as primary) took up again, by outcome: reanalysed, current (someone else did, or deleted), not_held (no region holds the binary), failed.",
            ["outcome"]);
        var stored = Factory.CreateGauge("ghidrainsight_analyses_stored", "Analyses held in this region's store.");
        var depth = Factory.CreateGauge("ghidrainsight_analysis_queue_depth", "Analyses running or waiting for a slot.");
        var free = Factory.CreateGauge("ghidrainsight_storage_free_bytes", "Free bytes in the file system of this region's data folder (-1 when it cannot be read).");
        var reserve = Factory.CreateGauge("ghidrainsight_storage_reserve_bytes", "Free space kept for small writes; below it uploads are refused (storage.reserve_bytes).");
        reserve.Set(space.ReserveBytes);
        registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            free.Set(space.FreeBytes ?? -1);
            stored.Set(await store.CountAnalysesAsync(cancellationToken).ConfigureAwait(false));
            depth.Set(queue.Depth);
        });
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    public void AnalysisPerformed(string format) => _analysesPerformed.WithLabels(format).Inc();

    public void Reanalysis(ReanalysisOutcome outcome) => _reanalyses.WithLabels(outcome switch
    {
        ReanalysisOutcome.Reanalysed => "reanalysed",
        ReanalysisOutcome.Current => "current",
        ReanalysisOutcome.NotHeld => "not_held",
        _ => "failed",
    }).Inc();
}
