using DotNext.Net.Cluster.Consensus.Raft;
using GhidraInsight.Regions.Failover;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Fencing;

/// <summary>
/// The fence loop: while this region is the committed primary it confirms the role with a Raft read barrier every
/// <see cref="FailoverTiming.BarrierInterval"/>; each success extends <see cref="PrimaryRole"/>'s lease to
/// <see cref="FailoverTiming.FenceLease"/> after the barrier's start, and a failure fences the region at once. So a primary
/// that is cut off, frozen or slow stops taking strong writes within the lease, before anyone else may be promoted.
/// </summary>
internal sealed class PrimaryFence(string currentRegion, IRaftCluster cluster, PrimaryStateMachine machine, PrimaryRole role, Func<FailoverTiming> timing,
    TimeProvider time, ILogger logger)
{
    /// <summary>At most one lapse line per this long: a machine that keeps stalling would otherwise log ten a second.</summary>
    private static readonly TimeSpan LapseLogInterval = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // Until the first confirmation the group may simply not have elected a leader yet: nothing to warn about.
        var confirmedOnce = false;
        var failing = false;
        long? lastLapseLogged = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var current = timing();
            if (role.State.Primary == currentRegion)
            {
                var started = time.GetTimestamp();
                using var attempt = new Deadline(current.FenceLease, time, stoppingToken);
                try
                {
                    await cluster.ApplyReadBarrierAsync(ReadBarrierType.Strong, attempt.Token).ConfigureAwait(false);
                    // The barrier applied everything committed before it began (each apply already updated the role), so this is
                    // the state as of `started` or later.
                    if (machine.State.Primary == currentRegion)
                    {
                        // A lease that ran out while this barrier was under way (not one fenced by a failure, which logs its own).
                        var now = time.GetTimestamp();
                        var until = role.ConfirmedUntil;
                        if (until > 0 && until < now && confirmedOnce && !failing && (lastLapseLogged is not { } logged || time.GetElapsedTime(logged, now) >= LapseLogInterval))
                        {
                            lastLapseLogged = now;
                            Log.LeaseLapsed(logger, currentRegion, (long)time.GetElapsedTime(until, now).TotalMilliseconds,
                                (long)time.GetElapsedTime(started, now).TotalMilliseconds, (long)current.FenceLease.TotalMilliseconds);
                        }

                        role.ConfirmUntil(started + (long)(current.FenceLease.TotalSeconds * time.TimestampFrequency));
                    }

                    if (failing)
                    {
                        Log.MajorityRegained(logger, currentRegion);
                    }

                    failing = false;
                    confirmedOnce = true;
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    role.Fence($"{currentRegion} cannot confirm its primary role with a majority of regions");
                    if (!failing && confirmedOnce)
                    {
                        Log.MajorityLost(logger, currentRegion, exception.GetType().Name);
                    }

                    failing = confirmedOnce;
                }
            }

            await Task.Delay(current.BarrierInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }
}
