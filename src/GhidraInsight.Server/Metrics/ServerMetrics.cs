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
    private readonly Gauge _regionHealthy;
    private readonly Gauge _crossRegionLatency;
    private readonly Gauge _replicationLag;
    private readonly Gauge _replicationPending;
    private readonly Gauge _replicationSent;
    private readonly Counter _replicationApplied;
    private readonly Counter _failoverEvents;
    private readonly Gauge _epoch;
    private readonly Gauge _acceptingStrongWrites;
    private readonly Gauge _conflicts;

    public ServerMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _analysesPerformed = Factory.CreateCounter("ghidrainsight_analyses_performed_total", "Binaries analysed by this process (uploads of stored binaries are not re-analysed).", ["format"]);
        _analysesStored = Factory.CreateGauge("ghidrainsight_analyses_stored", "Analyses held in this region's store.");
        _queueDepth = Factory.CreateGauge("ghidrainsight_analysis_queue_depth", "Analyses running or waiting for a slot.");
        _regionHealthy = Factory.CreateGauge("ghidrainsight_region_healthy", "1 when the region is healthy as this region sees it, else 0.", ["region"]);
        _crossRegionLatency = Factory.CreateGauge("ghidrainsight_cross_region_latency_seconds", "Latency of the last health probe of each other region.", ["region"]);
        _replicationLag = Factory.CreateGauge("ghidrainsight_replication_lag_seconds", "Age of the oldest write not yet acknowledged by the target (0 when none).", ["target"]);
        _replicationPending = Factory.CreateGauge("ghidrainsight_replication_pending", "Writes not yet acknowledged by the target.", ["target"]);
        _replicationSent = Factory.CreateGauge("ghidrainsight_replication_entries_sent", "Writes the target acknowledged since this process started.", ["target"]);
        _replicationApplied = Factory.CreateCounter("ghidrainsight_replication_entries_applied_total", "Replicated writes from other regions applied here.", ["origin"]);
        _failoverEvents = Factory.CreateCounter("ghidrainsight_failover_events_total", "Committed changes of primary region (the group's history, as this region applied it).", ["from", "to", "reason"]);
        _epoch = Factory.CreateGauge("ghidrainsight_primary_epoch", "The epoch of the current primary, as this region knows it.");
        _acceptingStrongWrites = Factory.CreateGauge("ghidrainsight_accepting_strong_writes", "1 while this region is the primary and accepts strong writes, else 0.");
        _conflicts = Factory.CreateGauge("ghidrainsight_conflicts", "Strong writes that lost to a newer epoch, kept as conflict records (GET /api/conflicts).");
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    public void AnalysisPerformed(string format) => _analysesPerformed.WithLabels(format).Inc();

    public void EntriesApplied(string origin, int count) => _replicationApplied.WithLabels(origin).Inc(count);

    /// <summary>Refreshes the region and replication gauges before each scrape.</summary>
    public void OnCollectRegions(GhidraInsight.Regions.MultiRegionManager manager, GhidraInsight.Regions.Replication.ReplicationService replication)
    {
        // Publish the family even before the first failover, so dashboards and alerts have a series to read.
        _failoverEvents.Publish();
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            // Counted from the committed history, so every region reports the same totals, restarts included.
            foreach (var group in manager.FailoverHistory.GroupBy(record => (record.From, record.To, record.Reason)))
            {
                _failoverEvents.WithLabels(group.Key.From, group.Key.To, group.Key.Reason).IncTo(group.Count());
            }
            _epoch.Set(manager.Epoch);
            _acceptingStrongWrites.Set(manager.CanAcceptStrongWrites(out _) ? 1 : 0);
            foreach (var (region, status) in manager.GetRegionStatus())
            {
                _regionHealthy.WithLabels(region).Set(status.Healthy ? 1 : 0);
                if (region != manager.CurrentRegion && status.LatencyMs is { } latency)
                {
                    _crossRegionLatency.WithLabels(region).Set(latency / 1000);
                }
            }
            foreach (var (target, status) in await replication.StatusAsync(cancellationToken).ConfigureAwait(false))
            {
                _replicationLag.WithLabels(target).Set(status.LagMs / 1000);
                _replicationPending.WithLabels(target).Set(status.Pending);
                _replicationSent.WithLabels(target).Set(status.SentTotal);
            }
        });
    }

    /// <summary>Refreshes the gauges that are read from elsewhere, just before each scrape.</summary>
    public void OnCollect(Func<CancellationToken, Task<long>> countStored, Func<CancellationToken, Task<long>> countConflicts, Func<int> queueDepth) =>
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            _analysesStored.Set(await countStored(cancellationToken).ConfigureAwait(false));
            _conflicts.Set(await countConflicts(cancellationToken).ConfigureAwait(false));
            _queueDepth.Set(queueDepth());
        });
}
