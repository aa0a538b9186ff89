namespace GhidraInsight.Regions.Authentication;

/// <summary>
/// Remembers the nonces of accepted requests until their timestamp leaves the acceptance window, after which the
/// verifier refuses them as stale anyway. Memory is bounded by the request rate times the window.
/// </summary>
internal sealed class ReplayGuard(TimeSpan window, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, long> _expiry = new();

    /// <summary>Number of nonces remembered now (for tests and metrics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>Records the nonce; false when it was already seen and has not expired.</summary>
    public bool TryRecord(string region, string nonce, long timestampMs)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var key = string.Concat(region, ":", nonce);
        lock (_lock)
        {
            Prune(nowMs);
            if (!_seen.Add(key))
            {
                return false;
            }

            // A timestamp up to one window in the future stays acceptable until one window after it.
            _expiry.Enqueue(key, timestampMs + (long)window.TotalMilliseconds);
            return true;
        }
    }

    private void Prune(long nowMs)
    {
        while (_expiry.TryPeek(out var key, out var expiresAt) && expiresAt < nowMs)
        {
            _expiry.Dequeue();
            _seen.Remove(key);
        }
    }
}
