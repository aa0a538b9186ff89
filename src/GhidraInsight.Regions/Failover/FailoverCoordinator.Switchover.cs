using GhidraInsight.Http.Contracts;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Failover;

public sealed partial class FailoverCoordinator
{
    /// <summary>The file under the data directory remembering the <c>primary_region</c> this region was last started with.</summary>
    internal const string ConfiguredPrimaryFile = "configured-primary";

    /// <summary>
    /// A safe switchover to <paramref name="to"/>: on the Raft leader, waits until the target has applied everything the current
    /// primary wrote (or gives up after <c>switchover_timeout</c> with nothing changed), commits the change, and waits until the
    /// target accepts strong writes; elsewhere, relays the request to the leader (unless <paramref name="relay"/> is false: a
    /// relayed request is not relayed again).
    /// </summary>
    public async Task<SwitchoverResult> SwitchoverAsync(string to, string reason, CancellationToken cancellationToken = default, bool relay = true)
    {
        var state = _role.State;
        if (!Region.Regions.Contains(to))
        {
            return Result(SwitchoverOutcome.UnknownRegion, $"'{to}' is not one of region.regions ({string.Join(", ", Region.Regions)}).");
        }

        if (!state.HasPrimary)
        {
            return Result(SwitchoverOutcome.NoLeader, "The regions have not elected a first primary yet. Nothing changed.");
        }

        if (state.Primary == to)
        {
            return Result(SwitchoverOutcome.AlreadyPrimary, $"{to} already is the primary of epoch {state.Epoch}.");
        }

        // Right after a leader dies the group needs an election: keep looking for the leader until the switchover timeout.
        var deadline = DeadlineAfter(Timing.SwitchoverTimeout);
        string? unanswered = null;
        while (true)
        {
            if (IsLeader)
            {
                return await LeadSwitchoverAsync(_role.State, to, reason, cancellationToken).ConfigureAwait(false);
            }

            var leader = LeaderRegion;
            if (relay && leader is not null && leader != Region.CurrentRegion)
            {
                // The leader may spend the switchover timeout waiting for catch-up, then as long again for the take-over.
                var (relayed, timedOut) = await _peers.RelaySwitchoverAsync(leader, new SwitchoverRequest(to, reason),
                    2 * Timing.SwitchoverTimeout + Timing.FenceDelay + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                if (timedOut)
                {
                    return Result(SwitchoverOutcome.TimedOut, $"The Raft leader {leader} did not finish the switchover in time; it may still take effect. "
                        + "Check `ghidrainsight regions` before trying again.");
                }

                if (relayed is not null && relayed.Outcome != SwitchoverOutcome.NoLeader)
                {
                    return relayed;
                }

                unanswered = leader;
            }

            if (!relay || _time.GetTimestamp() > deadline)
            {
                return Result(SwitchoverOutcome.NoLeader, unanswered is null
                    ? "No Raft leader is known: a majority of regions is not reachable from here. Nothing changed."
                    : $"The Raft leader {unanswered} did not answer. Nothing changed.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SwitchoverResult> LeadSwitchoverAsync(PrimaryState state, string to, string reason, CancellationToken cancellationToken)
    {
        var deadline = DeadlineAfter(Timing.SwitchoverTimeout);
        // The last answer of each, kept across polls: one answer that misses the status timeout on a loaded machine is not
        // silence, and both numbers only grow, so an older answer is still a true lower bound.
        FailoverStatus? target = null;
        FailoverStatus? primary = null;
        while (true)
        {
            // Each poll may take what is left of the switchover timeout: a slow answer within it is an answer.
            var wait = TimeSpan.FromSeconds(Math.Max(Timing.StatusTimeout.TotalSeconds, (double)(deadline - _time.GetTimestamp()) / _time.TimestampFrequency));
            var polled = await Task.WhenAll(_peers.StatusAsync(to, wait, cancellationToken), _peers.StatusAsync(state.Primary, wait, cancellationToken))
                .ConfigureAwait(false);
            target = polled[0] ?? target;
            primary = polled[1] ?? primary;
            // A primary that has not answered during this switchover has nothing more to send; its entries arrive when it returns.
            // One that answered and then went quiet must still be caught up with, as far as it told.
            if (target is not null && (primary is null || target.AppliedFrom(state.Primary) >= primary.OutboxHead))
            {
                break;
            }

            if (_time.GetTimestamp() > deadline)
            {
                return target is null
                    ? Result(SwitchoverOutcome.TargetUnreachable, $"{to} does not answer. Nothing changed.")
                    : Result(SwitchoverOutcome.TimedOut, $"{to} did not catch up with {state.Primary} within {Timing.SwitchoverTimeout.TotalSeconds:F0} s "
                        + $"(applied {target.AppliedFrom(state.Primary)} of {primary!.OutboxHead} entries). Nothing changed.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }

        var command = new PrimaryCommand(state.Epoch, to, reason, _time.GetUtcNow().ToUnixTimeMilliseconds());
        switch (await ProposeAsync(command, cancellationToken).ConfigureAwait(false))
        {
            case Proposal.Unknown:
                return Result(SwitchoverOutcome.TimedOut, $"The change to {to} was proposed but not confirmed in time; it may still take effect. "
                    + "Check `ghidrainsight regions` before trying again.");
            case Proposal.Stale:
                var now = _role.State;
                return Result(SwitchoverOutcome.Superseded, $"Another change won: {now.Primary} is the primary of epoch {now.Epoch}.");
        }

        // The take-over has a budget of its own: the catch-up may have used all of its own (waiting on a primary that never answered).
        var takeOverDeadline = DeadlineAfter(Timing.SwitchoverTimeout + Timing.FenceDelay);
        while (_time.GetTimestamp() <= takeOverDeadline)
        {
            if (await _peers.StatusAsync(to, Timing.StatusTimeout, cancellationToken).ConfigureAwait(false) is { AcceptingStrongWrites: true } ready
                && ready.Epoch == command.ExpectedEpoch + 1)
            {
                return Result(SwitchoverOutcome.Done, $"{to} is the primary of epoch {ready.Epoch} and accepts strong writes.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }

        return Result(SwitchoverOutcome.TimedOut, $"{to} is the primary of epoch {command.ExpectedEpoch + 1} but did not report accepting strong writes "
            + $"within {Timing.SwitchoverTimeout.TotalSeconds:F0} s.");
    }

    /// <summary>
    /// Keeps the primary where the operator configured it. When <c>primary_region</c> differs from the value this region last
    /// acted on (remembered in <c>DATA/configured-primary</c>), because a restart brought a changed value (a rolled-out
    /// ConfigMap) or a reload did, it asks for a switchover to it until that succeeds or the value changes again. Regions whose
    /// configuration did not change do nothing, so a half-rolled-out change cannot make regions fight over the primary.
    /// </summary>
    private async Task ConfiguredPrimaryLoopAsync(CancellationToken stoppingToken)
    {
        using var changed = new SemaphoreSlim(0);
        using var subscription = _options.OnChange((_, _) => changed.Release());
        while (!stoppingToken.IsCancellationRequested)
        {
            await FollowConfiguredPrimaryAsync(Region.EffectivePrimary, stoppingToken).ConfigureAwait(false);
            await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task FollowConfiguredPrimaryAsync(string configured, CancellationToken stoppingToken)
    {
        var file = Path.Combine(_dataDirectory, ConfiguredPrimaryFile);
        var previous = File.Exists(file) ? (await File.ReadAllTextAsync(file, stoppingToken).ConfigureAwait(false)).Trim() : null;
        if (previous == configured)
        {
            return;
        }

        if (previous is not null)
        {
            Log.ConfiguredPrimaryChanged(_logger, previous, configured);
            while (Region.EffectivePrimary == configured)
            {
                var result = await SwitchoverAsync(configured, FailoverReasons.Config, stoppingToken).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    break;
                }

                Log.ConfigSwitchoverRetrying(_logger, configured, result.Detail);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ConfigureAwait(false);
            }

            if (Region.EffectivePrimary != configured)
            {
                // Changed again meanwhile: the loop follows the newer value.
                return;
            }
        }

        await File.WriteAllTextAsync(file, configured + "\n", stoppingToken).ConfigureAwait(false);
    }

    private SwitchoverResult Result(SwitchoverOutcome outcome, string detail)
    {
        var state = _role.State;
        return new SwitchoverResult(outcome, detail, state.Primary, state.Epoch);
    }
}
