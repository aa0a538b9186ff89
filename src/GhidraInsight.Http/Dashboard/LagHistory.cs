using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Http.Dashboard;

/// <summary>
/// Replication lag over the last minutes, kept in memory for the dashboard's chart: at most one sample per <see cref="Spacing"/>, the oldest
/// dropped past <see cref="Window"/>. Thread-safe; a restart starts it empty.
/// </summary>
public sealed class LagHistory(TimeProvider time)
{
    /// <summary>How far back the chart reaches.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>Samples closer together than this are not kept (a gateway hurrying its probes would otherwise record ten a second).</summary>
    public static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(900);

    private const int MaxSamples = 1000;

    private readonly Lock _lock = new();
    private readonly Queue<LagSample> _samples = new();
    private DateTimeOffset? _last;

    /// <summary>Records the lag of each link now (keys from <see cref="LagSample.Link"/>).</summary>
    public void Record(IReadOnlyDictionary<string, double> lagMs)
    {
        ArgumentNullException.ThrowIfNull(lagMs);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_last is { } last && now - last < Spacing)
            {
                return;
            }

            _last = now;
            _samples.Enqueue(new LagSample(now, lagMs));
            DropOld(now);
        }
    }

    /// <summary>The samples of the last <see cref="Window"/> taken after <paramref name="since"/> (all when null), oldest first.</summary>
    public IReadOnlyList<LagSample> Samples(DateTimeOffset? since = null)
    {
        lock (_lock)
        {
            // Also when nothing was recorded for a while (a region whose store fails records nothing): the window is the window.
            DropOld(time.GetUtcNow());
            return [.. _samples.Where(sample => since is null || sample.At > since)];
        }
    }

    private void DropOld(DateTimeOffset now)
    {
        while (_samples.Count > MaxSamples || (_samples.TryPeek(out var oldest) && now - oldest.At > Window))
        {
            _samples.Dequeue();
        }
    }
}
