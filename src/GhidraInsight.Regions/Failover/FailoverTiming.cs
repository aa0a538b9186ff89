using GhidraInsight.Configuration;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// The time bounds that make failover safe. The primary confirms its role with a Raft read barrier every
/// <see cref="BarrierInterval"/>; each success allows strong writes for <see cref="FenceLease"/> from the moment the barrier
/// started. A newly promoted primary waits <see cref="FenceDelay"/> (longer than the lease) before it accepts anything, so
/// the old primary's last lease has run out on any clock that runs at the same rate.
/// </summary>
internal sealed record FailoverTiming(TimeSpan BarrierInterval, TimeSpan FenceLease, TimeSpan FenceDelay, TimeSpan CheckInterval, TimeSpan CheckTimeout,
    TimeSpan StatusTimeout, TimeSpan SwitchoverTimeout)
{
    public static FailoverTiming From(RegionOptions options)
    {
        var check = TimeSpan.FromMilliseconds(options.FailoverCheckIntervalMs);
        // A follower's barrier waits for the leader's next heartbeat (a quarter of the election timeout) plus round trips, and
        // consecutive barriers must overlap the lease: 400 ms at the default 500 ms election timeout, longer with a longer one.
        var lease = TimeSpan.FromMilliseconds(Math.Max(400, 0.8 * options.ElectionTimeoutMs));
        return new FailoverTiming(
            BarrierInterval: TimeSpan.FromMilliseconds(100),
            FenceLease: lease,
            // The margin covers a write that passed the check just before the lease ran out and clock-rate drift.
            FenceDelay: lease + TimeSpan.FromMilliseconds(250),
            CheckInterval: check,
            CheckTimeout: TimeSpan.FromMilliseconds(Math.Max(1000, 2 * options.FailoverCheckIntervalMs)),
            StatusTimeout: TimeSpan.FromSeconds(1),
            SwitchoverTimeout: TimeSpan.FromSeconds(options.SwitchoverTimeoutSeconds));
    }
}
