using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Gateway.Destinations;

/// <summary>
/// One region behind the gateway. It starts out of rotation until a probe succeeds (the first success brings it in at once: there
/// is nothing to flap from yet). A failed probe, or a request that fails on transport, takes it out at once; once out, it comes
/// back after <c>gateway.success_threshold</c> good probes in a row. Latency is smoothed over probes and reads alike.
/// </summary>
internal sealed class GatewayRegion(string name, Uri endpoint)
{
    private const double Alpha = 0.3;

    private readonly Lock _lock = new();
    private bool _healthy;
    private bool _everUp;
    private int _successes;
    private double? _latencyMs;
    private double? _smoothedMs;
    private DateTimeOffset? _lastCheck;
    private string? _whyOut = "not probed yet";
    private HealthReport? _report;

    public string Name { get; } = name;

    public Uri Endpoint { get; } = endpoint;

    /// <summary>Records a good probe; returns true when this brought the region (back) into rotation.</summary>
    public bool ProbeSucceeded(HealthReport report, double latencyMs, DateTimeOffset at, int successThreshold)
    {
        lock (_lock)
        {
            _report = report;
            _lastCheck = at;
            _latencyMs = latencyMs;
            Smooth(latencyMs);
            _successes++;
            if (!_healthy && (!_everUp || _successes >= Math.Max(1, successThreshold)))
            {
                _healthy = true;
                _everUp = true;
                _whyOut = null;
                return true;
            }

            return false;
        }
    }

    /// <summary>Takes the region out of rotation now (a failed probe, or a request that failed on transport); true when it was in.</summary>
    public bool TakeOut(string reason, DateTimeOffset? probedAt = null)
    {
        lock (_lock)
        {
            _lastCheck = probedAt ?? _lastCheck;
            _successes = 0;
            _whyOut = reason;
            var wasIn = _healthy;
            _healthy = false;
            return wasIn;
        }
    }

    /// <summary>A read answered in <paramref name="latencyMs"/> (to its response headers): part of the nearest-region order.</summary>
    public void RequestAnswered(double latencyMs)
    {
        lock (_lock)
        {
            Smooth(latencyMs);
        }
    }

    public GatewayRegionSnapshot Snapshot()
    {
        lock (_lock)
        {
            var report = _report;
            return new GatewayRegionSnapshot(Name, Endpoint, _healthy, _latencyMs, _smoothedMs, _lastCheck, _whyOut, report?.Role, report?.Primary,
                report?.Epoch ?? 0, report?.AcceptingStrongWrites ?? false,
                report?.Replication ?? new Dictionary<string, ReplicationHealth>());
        }
    }

    private void Smooth(double latencyMs) => _smoothedMs = _smoothedMs is { } previous ? (Alpha * latencyMs) + ((1 - Alpha) * previous) : latencyMs;
}
