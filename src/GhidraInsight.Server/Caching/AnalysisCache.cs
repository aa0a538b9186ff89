using GhidraInsight.Server.Analyses;

namespace GhidraInsight.Server.Caching;

/// <summary>
/// A bounded least-recently-used cache of stored analyses, so hot results skip the database. A reader takes
/// <see cref="Generation"/> before it reads the store and puts what it read only if nothing was invalidated meanwhile: a result
/// read just before a replacement or deletion committed would otherwise stay cached after it.
/// </summary>
internal sealed class AnalysisCache(int capacity)
{
    private readonly Lock _lock = new();
    private long _generation;
    private readonly Dictionary<string, LinkedListNode<ServedAnalysis>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<ServedAnalysis> _order = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    public bool TryGet(string id, out ServedAnalysis analysis)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(id, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                analysis = node.Value;
                return true;
            }
        }
        analysis = null!;
        return false;
    }

    /// <summary>Changes with every invalidation.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Caches <paramref name="analysis"/> unless an invalidation happened since <paramref name="readAt"/> (a <see cref="Generation"/>).</summary>
    public void Put(ServedAnalysis analysis, long readAt)
    {
        if (capacity <= 0)
        {
            return;
        }
        lock (_lock)
        {
            if (_generation != readAt)
            {
                return;
            }
            if (_index.TryGetValue(analysis.Id, out var existing))
            {
                _order.Remove(existing);
            }
            _index[analysis.Id] = _order.AddFirst(analysis);
            while (_index.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _index.Remove(last.Value.Id);
            }
        }
    }

    public void Invalidate(string id)
    {
        lock (_lock)
        {
            Interlocked.Increment(ref _generation);
            if (_index.Remove(id, out var node))
            {
                _order.Remove(node);
            }
        }
    }
}
