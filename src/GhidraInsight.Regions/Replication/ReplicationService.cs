using GhidraInsight.Configuration;
using GhidraInsight.Storage;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// Owns one <see cref="Replicator"/> per replication target: wakes them after local writes, reports where each target stands
/// (including whether it is past the outbox retention), and waits for acknowledgements (sync mode, switchover catch-up).
/// </summary>
public sealed class ReplicationService
{
    private readonly IReadOnlyList<Replicator> _replicators;
    private readonly IReplicationLog _log;
    private readonly IOptionsMonitor<RegionOptions> _options;
    private readonly TimeProvider _time;
    private readonly IDatabaseReplication? _database;
    private volatile IReadOnlyDictionary<string, double> _lastDatabaseLagMs = new Dictionary<string, double>();

    /// <param name="replicators">One per target region.</param>
    /// <param name="log">The region's outbox and cursors.</param>
    /// <param name="options">Retention and the rest of <c>region:</c>.</param>
    /// <param name="time">The clock.</param>
    /// <param name="database">
    /// When the database replicates (PostgreSQL mode): the standbys' lag from the database, reported per target in place of our
    /// outbox (Pending is then the WAL bytes not yet replayed); on a standby, its own replay under this region's name.
    /// </param>
    internal ReplicationService(IReadOnlyList<Replicator> replicators, IReplicationLog log, IOptionsMonitor<RegionOptions> options, TimeProvider time,
        IDatabaseReplication? database = null)
    {
        _replicators = replicators;
        _log = log;
        _options = options;
        _time = time;
        _database = database;
    }

    /// <summary>The regions this one pushes its writes to.</summary>
    public IReadOnlyList<string> Targets => [.. _replicators.Select(replicator => replicator.Target)];

    internal IReadOnlyList<Replicator> Replicators => _replicators;

    /// <summary>Wakes every replicator now: there is something new in the outbox.</summary>
    public void Notify()
    {
        foreach (var replicator in _replicators)
        {
            replicator.Notify();
        }
    }

    /// <summary>Pending count, lag, last error, delivered total and retention per target, from the store's durable cursors.</summary>
    public async Task<IReadOnlyDictionary<string, ReplicationTargetStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        if (_database is not null)
        {
            var state = await _database.ReadAsync(cancellationToken).ConfigureAwait(false);
            var database = state.Standbys.ToDictionary(s => s.Key, s => new ReplicationTargetStatus(s.Value.BytesBehind, s.Value.ReplayLagMs, null, 0, false),
                StringComparer.Ordinal);
            if (state.Replay is { } replay)
            {
                // A standby reports its own replay, under its own name: how far this region's reads are behind the primary.
                database[_options.CurrentValue.CurrentRegion] = new ReplicationTargetStatus(replay.BytesBehind, replay.LagMs,
                    replay.Streaming ? null : "this region's database is not streaming from the primary (its WAL receiver is down)", 0, false);
            }

            _lastDatabaseLagMs = database.ToDictionary(s => s.Key, s => s.Value.LagMs, StringComparer.Ordinal);
            return database;
        }

        var head = await _log.GetLastOutboxSequenceAsync(cancellationToken).ConfigureAwait(false);
        var statuses = new Dictionary<string, ReplicationTargetStatus>(StringComparer.Ordinal);
        foreach (var replicator in _replicators)
        {
            var cursor = await replicator.CursorAsync(cancellationToken).ConfigureAwait(false);
            var backlog = await _log.GetBacklogAsync(cursor, cancellationToken).ConfigureAwait(false);
            var lag = backlog.OldestCreatedAt is { } oldest ? Math.Max(0, (_time.GetUtcNow() - oldest).TotalMilliseconds) : 0;
            statuses[replicator.Target] = new ReplicationTargetStatus(backlog.Pending, lag, replicator.LastError, replicator.SentTotal,
                IsPastRetention(head, cursor, backlog, lag) && replicator.ResyncingFrom is null);
        }

        return statuses;
    }

    /// <summary>
    /// Behind longer than the retention, by more than the size limit, or missing entries already pruned (fewer entries are held
    /// after its cursor than were written there).
    /// </summary>
    private bool IsPastRetention(long head, long cursor, ReplicationBacklog backlog, double lagMs)
    {
        var options = _options.CurrentValue;
        return backlog.Pending < head - cursor
            || lagMs > options.OutboxRetentionSeconds * 1000.0
            || (options.OutboxMaxEntries > 0 && backlog.Pending > options.OutboxMaxEntries);
    }

    /// <summary>
    /// Wakes every replicator and waits until each target has acknowledged everything in the outbox when the call began,
    /// or <paramref name="timeout"/> passes. Returns, per target, whether it caught up.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, bool>> WaitForDeliveryAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var last = await _log.GetLastOutboxSequenceAsync(cancellationToken).ConfigureAwait(false);
        using var deadline = new Deadline(timeout, _time, cancellationToken);
        var delivered = await Task.WhenAll(_replicators.Select(replicator => replicator.WaitUntilAcknowledgedAsync(last, deadline.Token))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return _replicators.Select((replicator, index) => (replicator.Target, Delivered: delivered[index]))
            .ToDictionary(pair => pair.Target, pair => pair.Delivered, StringComparer.Ordinal);
    }

    /// <summary>
    /// Waits until at least one target acknowledged every entry written so far (the <c>sync</c> replication mode's condition
    /// for acknowledging a write), or <paramref name="timeout"/> passes. False when no target did, or there is none.
    /// </summary>
    public async Task<bool> WaitForAnyAcknowledgementAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // The newest entry is the caller's write or a later one; either way it covers the caller's write.
        var sequence = await _log.GetLastOutboxSequenceAsync(cancellationToken).ConfigureAwait(false);
        using var deadline = new Deadline(timeout, _time, cancellationToken);
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
        _database is not null
            ? _lastDatabaseLagMs.GetValueOrDefault(target)
            : _replicators.FirstOrDefault(replicator => replicator.Target == target)?.CachedLagMs ?? 0;

    internal Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_replicators.Select(replicator => replicator.RunAsync(cancellationToken)));
}
