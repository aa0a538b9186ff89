namespace GhidraInsight.Regions.Health;

/// <summary>What the monitor knows about one other region at one moment.</summary>
/// <param name="Region">The probed region.</param>
/// <param name="Healthy">Up by the hysteresis rules of <see cref="PeerHealthState"/>.</param>
/// <param name="LatencyMs">Latency of the last successful probe.</param>
/// <param name="SmoothedLatencyMs">EWMA (α = 0.3) of successful probe latencies.</param>
/// <param name="LastCheck">When the last probe finished; null before the first.</param>
/// <param name="Error">The last probe's error; null after a success.</param>
/// <param name="Role">The role the peer reported on <c>/health</c>, if any.</param>
/// <param name="Epoch">The epoch the peer reported on <c>/health</c>, if any.</param>
/// <param name="ConsecutiveFailures">Failed probes in a row.</param>
/// <param name="ConsecutiveSuccesses">Good probes in a row.</param>
/// <remarks>A region never probed yet has no <see cref="LastCheck"/>; it is neither up nor known to be down.</remarks>
internal sealed record PeerHealthSnapshot(
    string Region,
    bool Healthy,
    double? LatencyMs,
    double? SmoothedLatencyMs,
    DateTimeOffset? LastCheck,
    string? Error,
    string? Role,
    long? Epoch,
    int ConsecutiveFailures,
    int ConsecutiveSuccesses);
