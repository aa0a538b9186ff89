using DotNext.Net.Cluster.Consensus.Raft;
using GhidraInsight.Configuration;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// Runs this region's part of failover: keeps <see cref="PrimaryRole"/> current from the Raft state machine, fences this region
/// while it is primary (a read barrier every <see cref="FailoverTiming.BarrierInterval"/>), takes over when promoted, watches the
/// primary, and, on the Raft leader, commits automatic failovers and switchovers.
/// </summary>
public sealed partial class FailoverCoordinator : BackgroundService
{
    private readonly GhidraOptions _options;
    private readonly RegionOptions _region;
    private readonly IRaftCluster _cluster;
    private readonly PrimaryStateMachine _machine;
    private readonly PrimaryRole _role;
    private readonly FailoverPeers _peers;
    private readonly FailoverTiming _timing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _proposals = new(1, 1);
    private long _takingOverEpoch;
    private CancellationToken _stopping;

    internal FailoverCoordinator(GhidraOptions options, IRaftCluster cluster, PrimaryStateMachine machine, PrimaryRole role, FailoverPeers peers,
        TimeProvider time, ILogger<FailoverCoordinator> logger)
    {
        _options = options;
        _region = options.Region;
        _cluster = cluster;
        _machine = machine;
        _role = role;
        _peers = peers;
        _timing = FailoverTiming.From(options.Region);
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether this group may fail over on its own: enabled, and an odd number (at least three) of voters.</summary>
    public bool AutomaticFailover => _region.FailoverEnabled && _region.Voters.Count >= 3 && _region.Voters.Count % 2 == 1;

    /// <summary>The region the Raft leader runs in, or null while there is none.</summary>
    public string? LeaderRegion
    {
        get
        {
            if (_cluster.Leader?.EndPoint is not UriEndPoint { Uri: var leader })
            {
                return null;
            }

            return _region.Voters.FirstOrDefault(voter => _region.Endpoints.TryGetValue(voter, out var endpoint) && SameEndpoint(endpoint, leader));
        }
    }

    private bool IsLeader => !_cluster.LeadershipToken.IsCancellationRequested;

    /// <summary>This region's failover status (what <c>GET /api/internal/failover/status</c> answers).</summary>
    public Task<FailoverStatus> LocalStatusAsync(CancellationToken cancellationToken = default) => _peers.LocalStatusAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        _stopping = stoppingToken;
        _machine.Changed += OnChanged;
        OnChanged(_machine.State);
        if (_region.FailoverEnabled && !AutomaticFailover)
        {
            Log.AutomaticFailoverOff(_logger, _region.Voters.Count);
        }

        try
        {
            await Task.WhenAll(
                KeepRunningAsync("fence", FenceLoopAsync, stoppingToken),
                KeepRunningAsync("watch", WatchLoopAsync, stoppingToken),
                KeepRunningAsync("configured-primary", ConfigSwitchoverAsync, stoppingToken)).ConfigureAwait(false);
        }
        finally
        {
            _machine.Changed -= OnChanged;
        }
    }

    /// <summary>Runs <paramref name="loop"/> until it returns or the host stops; an unexpected failure is logged and the loop restarted a second later.</summary>
    private async Task KeepRunningAsync(string name, Func<CancellationToken, Task> loop, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await loop(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.LoopCrashed(_logger, exception, name);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnChanged(PrimaryState state)
    {
        var previous = _role.State;
        if (!_role.Update(state))
        {
            // An older state read on another thread: the newer one was already handled.
            return;
        }

        var me = _region.CurrentRegion;
        if (state.Epoch != previous.Epoch && state.LastChange is { } change)
        {
            Log.PrimaryChanged(_logger, change.From, change.To, change.Epoch, change.Reason);
        }

        if (state.Primary != me)
        {
            _role.Fence(state.HasPrimary ? $"{me} is not the primary of epoch {state.Epoch} ({state.Primary} is)" : "the regions have not elected a primary yet");
            return;
        }

        if (state.LastChange is not { } last || last.From == me)
        {
            // Primary from the start (epoch 1): nothing to take over from.
            _role.MarkReady(state.Epoch);
        }
        else if (Interlocked.Exchange(ref _takingOverEpoch, state.Epoch) != state.Epoch)
        {
            _ = Task.Run(() => TakeOverAsync(state, last.From, _stopping));
        }
    }

    /// <summary>Waits out the old primary's lease, then for its last entries (while it answers), then accepts strong writes.</summary>
    private async Task TakeOverAsync(PrimaryState state, string from, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(_timing.FenceDelay, _time, stoppingToken).ConfigureAwait(false);
            var deadline = DeadlineAfter(_timing.SwitchoverTimeout);
            while (_role.State.Epoch == state.Epoch)
            {
                var old = await _peers.StatusAsync(from, _timing.StatusTimeout, stoppingToken).ConfigureAwait(false);
                var mine = await _peers.LocalStatusAsync(stoppingToken).ConfigureAwait(false);
                if (old is null || mine.AppliedFrom(from) >= old.OutboxHead)
                {
                    break;
                }

                if (_time.GetTimestamp() > deadline)
                {
                    Log.TakeOverWithoutCatchUp(_logger, from, mine.AppliedFrom(from), old.OutboxHead);
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, stoppingToken).ConfigureAwait(false);
            }

            if (_role.State.Epoch == state.Epoch)
            {
                _role.MarkReady(state.Epoch);
                Log.AcceptingStrongWrites(_logger, _region.CurrentRegion, state.Epoch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // Not ready: strong writes stay refused here until the next change of primary; say why.
            Log.LoopCrashed(_logger, exception, "take-over");
        }
    }

    /// <summary>While primary: a Raft read barrier every interval; each success extends the lease from the barrier's start.</summary>
    private async Task FenceLoopAsync(CancellationToken stoppingToken)
    {
        var me = _region.CurrentRegion;
        // Until the first confirmation the group may simply not have elected a leader yet: nothing to warn about.
        var confirmedOnce = false;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (_role.State.Primary == me)
            {
                var started = _time.GetTimestamp();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                attempt.CancelAfter(_timing.FenceLease);
                try
                {
                    await _cluster.ApplyReadBarrierAsync(ReadBarrierType.Strong, attempt.Token).ConfigureAwait(false);
                    // The barrier applied everything committed before it began (each apply already ran OnChanged), so this is
                    // the state as of `started` or later.
                    if (_machine.State.Primary == me)
                    {
                        _role.ConfirmUntil(started + (long)(_timing.FenceLease.TotalSeconds * _time.TimestampFrequency));
                    }

                    if (failing)
                    {
                        Log.MajorityRegained(_logger, me);
                    }

                    failing = false;
                    confirmedOnce = true;
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    _role.Fence($"{me} cannot confirm its primary role with a majority of regions");
                    if (!failing && confirmedOnce)
                    {
                        Log.MajorityLost(_logger, me, exception.GetType().Name);
                    }

                    failing = confirmedOnce;
                }
            }

            await Task.Delay(_timing.BarrierInterval, _time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Checks the primary every interval; on the leader, fails over after <c>failure_threshold</c> failures in a row.</summary>
    private async Task WatchLoopAsync(CancellationToken stoppingToken)
    {
        var me = _region.CurrentRegion;
        var threshold = Math.Max(1, _region.FailureThreshold);
        string? watched = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var state = _role.State;
            if (!state.HasPrimary)
            {
                // A new group: its first leader commits the configured primary as primary of epoch 1.
                if (IsLeader)
                {
                    await ProposeAsync(new PrimaryCommand(0, _region.EffectivePrimary, FailoverReasons.Config, _time.GetUtcNow().ToUnixTimeMilliseconds()), stoppingToken)
                        .ConfigureAwait(false);
                }

                await Task.Delay(_timing.CheckInterval, _time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            if (state.Primary != watched)
            {
                watched = state.Primary;
                failures = 0;
            }

            if (watched == me)
            {
                failures = 0;
            }
            else
            {
                failures = await _peers.IsAliveAsync(watched, _timing.CheckTimeout, stoppingToken).ConfigureAwait(false) ? 0 : failures + 1;
            }

            if (failures >= threshold && AutomaticFailover && IsLeader)
            {
                await FailOverAsync(state, stoppingToken).ConfigureAwait(false);
            }

            await Task.Delay(_timing.CheckInterval, _time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>On the leader: promotes the healthy region that applied most of the failed primary's outbox (ties: <c>regions</c> order).</summary>
    private async Task FailOverAsync(PrimaryState state, CancellationToken stoppingToken)
    {
        var candidates = _region.Regions.Where(region => region != state.Primary).ToArray();
        var statuses = await Task.WhenAll(candidates.Select(region => _peers.StatusAsync(region, _timing.StatusTimeout, stoppingToken))).ConfigureAwait(false);
        var best = candidates
            .Select((region, order) => (Region: region, Status: statuses[order], Order: order))
            .Where(candidate => candidate.Status is not null)
            .OrderByDescending(candidate => candidate.Status!.AppliedFrom(state.Primary))
            .ThenBy(candidate => candidate.Order)
            .FirstOrDefault();
        if (best.Region is null)
        {
            Log.NoRegionToPromote(_logger, state.Primary);
            return;
        }

        await ProposeAsync(new PrimaryCommand(state.Epoch, best.Region, FailoverReasons.Health, _time.GetUtcNow().ToUnixTimeMilliseconds()), stoppingToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Commits <paramref name="command"/> through Raft. <see cref="Proposal.Stale"/>: the epoch had already moved on;
    /// <see cref="Proposal.Unknown"/>: the append failed or timed out, and the entry may still commit later.
    /// </summary>
    private async Task<Proposal> ProposeAsync(PrimaryCommand command, CancellationToken cancellationToken)
    {
        await _proposals.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_machine.State.Epoch != command.ExpectedEpoch)
            {
                return Proposal.Stale;
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_timing.SwitchoverTimeout);
            await _cluster.ReplicateAsync(command.ToBytes(), null, attempt.Token).ConfigureAwait(false);
            return _machine.State.Epoch > command.ExpectedEpoch && _machine.State.Primary == command.To ? Proposal.Committed : Proposal.Stale;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ProposalFailed(_logger, command.To, exception.Message);
            return Proposal.Unknown;
        }
        finally
        {
            _proposals.Release();
        }
    }

    private enum Proposal
    {
        Committed,
        Stale,
        Unknown,
    }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> value <paramref name="span"/> from now.</summary>
    private long DeadlineAfter(TimeSpan span) => _time.GetTimestamp() + (long)(span.TotalSeconds * _time.TimestampFrequency);

    private static bool SameEndpoint(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    public override void Dispose()
    {
        _proposals.Dispose();
        base.Dispose();
    }
}
