using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Tests.Support;

/// <summary>In-memory outbox, cursors and high-water marks; everything else is not supported.</summary>
internal sealed class FakeAnalysisStore(TimeProvider time) : IAnalysisStore
{
    private readonly Lock _lock = new();
    private readonly List<OutboxEntry> _outbox = [];
    private readonly Dictionary<string, long> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _marks = new(StringComparer.Ordinal);
    private readonly List<(string Origin, OutboxEntry Entry)> _applied = [];

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
            var entry = new OutboxEntry(_outbox.Count + 1, kind, key, $$"""{"id":"{{key}}"}""", 1, time.GetUtcNow());
            _outbox.Add(entry);
            return entry;
        }
    }

    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<OutboxEntry>>(_outbox.Where(e => e.Sequence > afterSequence).Take(limit).ToArray());
        }
    }

    public Task<long> GetLastOutboxSequenceAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_outbox.Count == 0 ? 0 : _outbox[^1].Sequence);
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

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<bool> SaveAnalysisAsync(NewAnalysis analysis, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<StoredAnalysis?> GetAnalysisAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<AnalysisSummary>> ListAnalysesAsync(int limit, string? after, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<bool> DeleteAnalysisAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<byte[]?> GetBinaryAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<Annotation?> GetAnnotationAsync(string id, ulong address, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<Annotation>> GetAnnotationsAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<AnnotationWrite> PutAnnotationAsync(string id, ulong address, AnnotationInput input, long? expectedVersion, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<long> CountAnalysesAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task CheckHealthAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<ConflictRecord>> ListConflictsAsync(int limit, long? after = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<long> CountConflictsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
