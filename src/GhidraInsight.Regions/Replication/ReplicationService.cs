using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// Owns one replicator per replication target. The server calls <see cref="Notify"/> after each local write; the
/// regions hosted service runs the replicators.
/// </summary>
public sealed class ReplicationService
{
    private readonly IReadOnlyList<Replicator> _replicators;
    private readonly IAnalysisStore _store;
    private readonly TimeProvider _time;

    internal ReplicationService(IReadOnlyList<Replicator> replicators, IAnalysisStore store, TimeProvider time)
    {
        _replicators = replicators;
        _store = store;
        _time = time;
    }

    /// <summary>The regions this one pushes its writes to.</summary>
    public IReadOnlyList<string> Targets => _replicators.Select(replicator => replicator.Target).ToArray();

    /// <summary>Wakes every replicator now: there is something new in the outbox.</summary>
    public void Notify()
    {
        foreach (var replicator in _replicators)
        {
            replicator.Notify();
        }
    }

    /// <summary>Pending count, lag, last error and delivered total per target, from the store's durable cursors.</summary>
    public async Task<IReadOnlyDictionary<string, ReplicationTargetStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var statuses = await Task.WhenAll(_replicators.Select(replicator => replicator.StatusAsync(cancellationToken))).ConfigureAwait(false);
        return _replicators.Select((replicator, index) => (replicator.Target, Status: statuses[index]))
            .ToDictionary(pair => pair.Target, pair => pair.Status, StringComparer.Ordinal);
    }

    /// <summary>
    /// Wakes every replicator and waits until each target has acknowledged everything in the outbox when the call began,
    /// or <paramref name="timeout"/> passes. Returns, per target, whether it caught up.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, bool>> WaitForDeliveryAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (_replicators.Count == 0)
        {
            return new Dictionary<string, bool>();
        }

        var last = await LastOutboxSequenceAsync(cancellationToken).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var delivered = await Task.WhenAll(_replicators.Select(replicator => replicator.WaitUntilAcknowledgedAsync(last, linked.Token))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return _replicators.Select((replicator, index) => (replicator.Target, Delivered: delivered[index]))
            .ToDictionary(pair => pair.Target, pair => pair.Delivered, StringComparer.Ordinal);
    }

    /// <summary>
    /// Waits until at least one target acknowledged every entry up to <paramref name="sequence"/> (the <c>sync</c> replication
    /// mode's condition for acknowledging a write), or <paramref name="timeout"/> passes. False when no target did, or there is none.
    /// </summary>
    public async Task<bool> WaitForAnyAcknowledgementAsync(long sequence, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var waits = _replicators.Select(replicator => replicator.WaitUntilAcknowledgedAsync(sequence, deadline.Token)).ToList();
        try
        {
            while (waits.Count > 0)
            {
                var finished = await Task.WhenAny(waits).ConfigureAwait(false);
                waits.Remove(finished);
                if (await finished.ConfigureAwait(false))
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            // Releases the other waits at once.
            await deadline.CancelAsync().ConfigureAwait(false);
        }
    }

    internal double CachedLagMs(string target) =>
        _replicators.FirstOrDefault(replicator => replicator.Target == target)?.CachedLagMs ?? 0;

    internal Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_replicators.Select(replicator => replicator.RunAsync(cancellationToken)));

    /// <summary>The newest outbox sequence, paging from the least advanced target's cursor.</summary>
    private async Task<long> LastOutboxSequenceAsync(CancellationToken cancellationToken)
    {
        var cursors = await Task.WhenAll(_replicators.Select(replicator => _store.GetReplicationCursorAsync(replicator.Target, cancellationToken))).ConfigureAwait(false);
        var last = cursors.Min();
        while (true)
        {
            var page = await _store.ReadOutboxAsync(last, ReplicationBatch.MaxEntries, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return last;
            }

            last = page[^1].Sequence;
            if (page.Count < ReplicationBatch.MaxEntries)
            {
                return last;
            }
        }
    }
}
