namespace GhidraInsight.Regions.Replication;

/// <summary>Exponential backoff with full jitter: a delay drawn uniformly from [0, min(Max, Initial × 2^failures)).</summary>
internal sealed class ReplicationBackoff(Random random)
{
    public static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    private int _failures;

    /// <summary>The cap of the next delay (before jitter).</summary>
    public TimeSpan Ceiling => TimeSpan.FromMilliseconds(Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 16))));

    /// <summary>The delay before the next attempt; each call doubles the cap until <see cref="Max"/>.</summary>
    public TimeSpan Next()
    {
        var ceiling = Ceiling;
        _failures++;
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling.TotalMilliseconds);
    }

    public void Reset() => _failures = 0;
}
