using GhidraInsight.Configuration;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Storage;
using Microsoft.Extensions.Options;
using Prometheus;

namespace GhidraInsight.Regions.Metrics;

/// <summary>
/// The guide's metrics — region health, cross-region latency, replication lag, failover events — and the rest of this region's
/// multi-region state, on the host's <see cref="CollectorRegistry"/> (refreshed just before each scrape).
/// </summary>
public sealed class RegionMetrics
{
    private readonly Gauge _regionHealthy;
    private readonly Gauge _crossRegionLatency;
    private readonly Gauge _replicationLag;
    private readonly Gauge _replicationPending;
    private readonly Gauge _replicationPastRetention;
    private readonly Counter _replicationSent;
    private readonly Counter _replicationResyncs;
    private readonly Counter _replicationApplied;
    private readonly Gauge _outboxEntries;
    private readonly Gauge _outboxRetention;
    private readonly Gauge _outboxMaxEntries;
    private readonly Counter _failoverEvents;
    private readonly Gauge _epoch;
    private readonly Gauge _acceptingStrongWrites;
    private readonly Gauge _conflicts;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    internal RegionMetrics(CollectorRegistry registry, MultiRegionManager manager, ReplicationService replication, IReplicationLog log,
        IOptionsMonitor<RegionOptions> options)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _regionHealthy = factory.CreateGauge("ghidrainsight_region_healthy", "1 when the region is healthy as this region sees it, else 0.", ["region"]);
        _crossRegionLatency = factory.CreateGauge("ghidrainsight_cross_region_latency_seconds", "Latency of the last health probe of each other region.", ["region"]);
        _replicationLag = factory.CreateGauge("ghidrainsight_replication_lag_seconds", 
            "Age of the oldest write not yet acknowledged by the target (0 when none); in PostgreSQL mode the standby's replay lag, which a standby reports under its own name.",
            ["target"]);
        _replicationPending = factory.CreateGauge("ghidrainsight_replication_pending", 
            "Writes not yet acknowledged by the target; in PostgreSQL mode WAL bytes not yet replayed.", ["target"]);
        _replicationPastRetention = factory.CreateGauge("ghidrainsight_replication_past_retention",
            "1 while the target is behind longer than the outbox retention (it is resynced from a snapshot when it returns), else 0.", ["target"]);
        _replicationSent = factory.CreateCounter("ghidrainsight_replication_entries_sent_total", "Writes the target acknowledged since this process started.", ["target"]);
        _replicationResyncs = factory.CreateCounter("ghidrainsight_replication_resyncs_total", "Full resyncs of the target from a snapshot since this process started.", ["target"]);
        _replicationApplied = factory.CreateCounter("ghidrainsight_replication_entries_applied_total", "Replicated writes from other regions applied here.", ["origin"]);
        _outboxEntries = factory.CreateGauge("ghidrainsight_outbox_entries", "Entries held in this region's replication outbox (acknowledged ones are pruned).");
        // The outbox's limits, so alerts compare lag and size with the configured ones rather than with copied numbers.
        _outboxRetention = factory.CreateGauge("ghidrainsight_outbox_retention_seconds",
            "region.outbox_retention: how long the outbox keeps what a target has not acknowledged before that target needs a resync.");
        _outboxMaxEntries = factory.CreateGauge("ghidrainsight_outbox_max_entries",
            "region.outbox_max_entries: how many unacknowledged entries the outbox keeps before the slowest target needs a resync.");
        _failoverEvents = factory.CreateCounter("ghidrainsight_failover_events_total", "Committed changes of primary region (the group's history, as this region applied it).",
            ["from", "to", "reason"]);
        _epoch = factory.CreateGauge("ghidrainsight_primary_epoch", "The epoch of the current primary, as this region knows it.");
        _acceptingStrongWrites = factory.CreateGauge("ghidrainsight_accepting_strong_writes", "1 while this region is the primary and accepts strong writes, else 0.");
        _conflicts = factory.CreateGauge("ghidrainsight_conflicts", "Strong writes that lost to a newer epoch, kept as conflict records (GET /api/conflicts).");
        // Publish the family even before the first failover, so dashboards and alerts have a series to read.
        _failoverEvents.Publish();
        registry.AddBeforeCollectCallback(cancellationToken =>
        {
            _outboxRetention.Set(options.CurrentValue.OutboxRetentionSeconds);
            _outboxMaxEntries.Set(options.CurrentValue.OutboxMaxEntries);
            return RefreshAsync(manager, replication, log, cancellationToken);
        });
    }

    /// <summary>Counts replicated writes applied here from <paramref name="origin"/>.</summary>
    public void EntriesApplied(string origin, int count) => _replicationApplied.WithLabels(origin).Inc(count);

    private async Task RefreshAsync(MultiRegionManager manager, ReplicationService replication, IReplicationLog log, CancellationToken cancellationToken)
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

        var statuses = await replication.StatusAsync(cancellationToken).ConfigureAwait(false);
        lock (_reported)
        {
            foreach (var (target, status) in statuses)
            {
                _replicationLag.WithLabels(target).Set(status.LagMs / 1000);
                _replicationPending.WithLabels(target).Set(status.Pending);
                _replicationPastRetention.WithLabels(target).Set(status.PastRetention ? 1 : 0);
                _replicationSent.WithLabels(target).IncTo(status.SentTotal);
            }

            // In PostgreSQL mode the targets change with the role (a primary reports its standbys, a standby itself): a target
            // no longer reported leaves the gauges rather than keeping its last value.
            foreach (var gone in _reported.Where(target => !statuses.ContainsKey(target)).ToList())
            {
                _replicationLag.RemoveLabelled(gone);
                _replicationPending.RemoveLabelled(gone);
                _replicationPastRetention.RemoveLabelled(gone);
                _reported.Remove(gone);
            }

            _reported.UnionWith(statuses.Keys);
        }

        foreach (var replicator in replication.Replicators)
        {
            _replicationResyncs.WithLabels(replicator.Target).IncTo(replicator.Resyncs);
        }

        _outboxEntries.Set((await log.GetBacklogAsync(0, cancellationToken).ConfigureAwait(false)).Pending);
        _conflicts.Set(await log.CountConflictsAsync(cancellationToken).ConfigureAwait(false));
    }
}
