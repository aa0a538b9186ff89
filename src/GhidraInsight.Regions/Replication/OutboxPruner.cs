using GhidraInsight.Storage;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// Keeps the outbox from growing without bound: every <see cref="Interval"/> it removes, in short batches, the entries every
/// replication target has durably acknowledged. A target past the retention (see <see cref="ReplicationTargetStatus.PastRetention"/>)
/// no longer holds entries back; it is reported once, with what the operator can do, and resynced from a snapshot when it
/// answers again. A target being resynced holds back what comes after the snapshot's start.
/// </summary>
internal sealed class OutboxPruner(ReplicationService replication, IReplicationLog log, TimeProvider time, ILogger<OutboxPruner> logger)
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Entries removed per transaction, so a writer never waits long behind a prune.</summary>
    internal const int BatchSize = 1000;

    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PruneOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                Log.PruneFailed(logger, exception.Message);
            }

            try
            {
                await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Prunes what may go now; returns how many entries were removed.</summary>
    internal async Task<long> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var head = await log.GetLastOutboxSequenceAsync(cancellationToken).ConfigureAwait(false);
        var statuses = await replication.StatusAsync(cancellationToken).ConfigureAwait(false);
        var through = head;
        foreach (var replicator in replication.Replicators)
        {
            var status = statuses[replicator.Target];
            ReportRetention(replicator.Target, status.PastRetention);
            if (replicator.ResyncingFrom is { } from)
            {
                through = Math.Min(through, from);
            }
            else if (!status.PastRetention)
            {
                // The durable cursor only: pruning past an acknowledgement that a crash could forget would look like a gap.
                through = Math.Min(through, await log.GetReplicationCursorAsync(replicator.Target, cancellationToken).ConfigureAwait(false));
            }
        }

        long removed = 0;
        int batch;
        do
        {
            batch = await log.PruneOutboxAsync(through, BatchSize, cancellationToken).ConfigureAwait(false);
            removed += batch;
        }
        while (batch == BatchSize && !cancellationToken.IsCancellationRequested);
        return removed;
    }

    private void ReportRetention(string target, bool pastRetention)
    {
        if (pastRetention && _reported.Add(target))
        {
            Log.PastRetention(logger, target);
        }
        else if (!pastRetention && _reported.Remove(target))
        {
            Log.BackWithinRetention(logger, target);
        }
    }
}
