namespace GhidraInsight.Regions.Health;

/// <summary>
/// Per-region probe history with hysteresis. A region starts unknown and is not healthy until a probe succeeds; the
/// first success ever marks it up at once (nothing to flap from yet, and routing should not wait several intervals at
/// start). After that, an up region goes down only after <c>failure_threshold</c> consecutive failures, and a down region
/// comes back only after <c>success_threshold</c> consecutive successes (both passed per call: they can be reloaded).
/// </summary>
internal sealed class PeerHealthState(string region)
{
    internal const double Alpha = 0.3;

    private readonly Lock _lock = new();
    private bool _healthy;
    private bool _everChecked;
    private bool _everUp;
    private double? _latencyMs;
    private double? _smoothedMs;
    private DateTimeOffset? _lastCheck;
    private string? _error;
    private string? _role;
    private long? _epoch;
    private int _failures;
    private int _successes;

    /// <summary>Records a good probe; returns true when this made the region (newly) up.</summary>
    public bool RecordSuccess(double latencyMs, DateTimeOffset at, string? role, long? epoch, int successThreshold)
    {
        lock (_lock)
        {
            _everChecked = true;
            _lastCheck = at;
            _error = null;
            _latencyMs = latencyMs;
            _smoothedMs = _smoothedMs is { } previous ? (Alpha * latencyMs) + ((1 - Alpha) * previous) : latencyMs;
            _role = role ?? _role;
            _epoch = epoch ?? _epoch;
            _failures = 0;
            _successes++;
            if (!_healthy && (!_everUp && _successes == 1 || _successes >= Math.Max(1, successThreshold)))
            {
                _healthy = true;
                _everUp = true;
                return true;
            }

            return false;
        }
    }

    /// <summary>Records a failed probe; returns true when this made the region (newly) down.</summary>
    public bool RecordFailure(string error, DateTimeOffset at, int failureThreshold)
    {
        lock (_lock)
        {
            _everChecked = true;
            _lastCheck = at;
            _error = error;
            _successes = 0;
            _failures++;
            if (_healthy && _failures >= Math.Max(1, failureThreshold))
            {
                _healthy = false;
                return true;
            }

            return false;
        }
    }

    public int ConsecutiveFailures
    {
        get
        {
            lock (_lock)
            {
                return _failures;
            }
        }
    }

    public PeerHealthSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new PeerHealthSnapshot(region, _healthy, _latencyMs, _smoothedMs, _everChecked ? _lastCheck : null, _error, _role, _epoch, _failures, _successes);
        }
    }
}
