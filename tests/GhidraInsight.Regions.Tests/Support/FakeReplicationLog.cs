using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Tests.Support;

/// <summary>
/// An in-memory replication log: outbox (with pruning), cursors, high-water marks, applied entries, and a snapshot made of
/// <see cref="State"/> (what a real store would hold). Conflicts are not modelled.
/// </summary>
internal sealed class FakeReplicationLog(TimeProvider time) : IReplicationLog
{
    private readonly Lock _lock = new();
    private readonly List<OutboxEntry> _outbox = [];
    private readonly Dictionary<string, long> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _marks = new(StringComparer.Ordinal);
    private readonly List<(string Origin, OutboxEntry Entry)> _applied = [];
    private long _last;

    /// <summary>The state a snapshot of this region shows (a test fills it).</summary>
    public List<OutboxEntry> State { get; } = [];

    /// <summary>Snapshot entries applied here, with the origin they came from.</summary>
    public List<(string Origin, OutboxEntry Entry)> SnapshotApplied { get; } = [];

    public IReadOnlyList<(string Origin, OutboxEntry Entry)> Applied
    {
        get
        {
            lock (_lock)
            {
                return [.. _applied];
            }
        }
    }

    public OutboxEntry Append(string key, string kind = OutboxKinds.AnalysisStored)
    {
        lock (_lock)
        {
            var entry = new OutboxEntry(++_last, kind, key, $$"""{"id":"{{key}}"}""", 1, time.GetUtcNow());
            _outbox.Add(entry);
            return entry;
        }
    }

    /// <summary>Called after each outbox read with what it returned: a test's writes can land between two of the replicator's queries.</summary>
    public Action<IReadOnlyList<OutboxEntry>>? AfterRead { get; set; }

    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OutboxEntry> read;
        lock (_lock)
        {
            read = _outbox.Where(e => e.Sequence > afterSequence).Take(limit).ToArray();
        }

        AfterRead?.Invoke(read);
        return Task.FromResult(read);
    }

    public Task<long> GetLastOutboxSequenceAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_last);
        }
    }

    public Task<long> GetReplicationCursorAsync(string targetRegion, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_cursors.GetValueOrDefault(targetRegion));
        }
    }

    public Task SetReplicationCursorAsync(string targetRegion, long sequence, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _cursors[targetRegion] = Math.Max(sequence, _cursors.GetValueOrDefault(targetRegion));
        }

        return Task.CompletedTask;
    }

    public Task<ReplicationBacklog> GetBacklogAsync(long afterSequence, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var pending = _outbox.Where(e => e.Sequence > afterSequence).ToArray();
            return Task.FromResult(new ReplicationBacklog(pending.Length, pending.Length == 0 ? null : pending[0].CreatedAt));
        }
    }

    public Task<ReplicationApply> ApplyReplicatedAsync(string originRegion, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var mark = _marks.GetValueOrDefault(originRegion);
            var fresh = entries.Where(e => e.Sequence > mark).OrderBy(e => e.Sequence).ToArray();
            _applied.AddRange(fresh.Select(e => (originRegion, e)));
            mark = fresh.Length > 0 ? fresh[^1].Sequence : mark;
            _marks[originRegion] = mark;
            return Task.FromResult(new ReplicationApply(mark, fresh.Length, fresh.Select(e => e.Key).ToArray()));
        }
    }

    public Task<long> GetHighWaterMarkAsync(string originRegion, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_marks.GetValueOrDefault(originRegion));
        }
    }

    public Task<int> PruneOutboxAsync(long throughSequence, int maxEntries, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var removed = _outbox.Where(e => e.Sequence <= throughSequence).Take(maxEntries).ToList();
            _outbox.RemoveAll(removed.Contains);
            return Task.FromResult(removed.Count);
        }
    }

    /// <summary>Entries still held (not pruned).</summary>
    public int OutboxCount
    {
        get
        {
            lock (_lock)
            {
                return _outbox.Count;
            }
        }
    }

    public Task<SnapshotPage> ReadSnapshotAsync(string? after, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var start = after is null ? 0 : int.Parse(after, System.Globalization.CultureInfo.InvariantCulture);
            var page = State.Skip(start).Take(limit).Select((e, i) => e with { Sequence = i + 1 }).ToArray();
            var next = start + page.Length < State.Count ? (start + page.Length).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new SnapshotPage(page, next));
        }
    }

    public Task<ReplicationApply> ApplySnapshotAsync(string originRegion, IReadOnlyList<OutboxEntry> entries, long? completesThrough,
        CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            SnapshotApplied.AddRange(entries.Select(e => (originRegion, e)));
            var mark = Math.Max(_marks.GetValueOrDefault(originRegion), completesThrough ?? 0);
            _marks[originRegion] = mark;
            return Task.FromResult(new ReplicationApply(mark, entries.Count, [.. entries.Select(e => e.Key)]));
        }
    }

    public Task<IReadOnlyList<ConflictRecord>> ListConflictsAsync(int limit, long? after = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ConflictRecord>>([]);

    public Task<long> CountConflictsAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);
}
