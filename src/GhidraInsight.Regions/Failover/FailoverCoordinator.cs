using DotNext.Net.Cluster.Consensus.Raft;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Regions.Health;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// Runs this region's part of failover: keeps <see cref="PrimaryRole"/> current from the Raft state machine, runs the
/// <see cref="PrimaryFence"/> while this region is primary, takes over when promoted, and, on the Raft leader, commits
/// automatic failovers (when the peer monitor sees the primary fail <c>failure_threshold</c> checks in a row), switchovers,
/// and the switchover a changed <c>primary_region</c> asks for.
/// </summary>
public sealed partial class FailoverCoordinator : BackgroundService
{
    private readonly string _dataDirectory;
    private readonly IOptionsMonitor<RegionOptions> _options;
    private readonly IRaftCluster _cluster;
    private readonly PrimaryStateMachine _machine;
    private readonly PrimaryRole _role;
    private readonly FailoverPeers _peers;
    private readonly PeerMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _proposals = new(1, 1);
    private readonly IAuditTrail? _audit;
    private long _takingOverEpoch;
    private CancellationToken _stopping;

    internal FailoverCoordinator(string dataDirectory, IOptionsMonitor<RegionOptions> options, IRaftCluster cluster, PrimaryStateMachine machine, PrimaryRole role,
        FailoverPeers peers, PeerMonitor monitor, TimeProvider time, ILogger<FailoverCoordinator> logger, IAuditTrail? audit = null)
    {
        _audit = audit;
        _dataDirectory = dataDirectory;
        _options = options;
        _cluster = cluster;
        _machine = machine;
        _role = role;
        _peers = peers;
        _monitor = monitor;
        _time = time;
        _logger = logger;
    }

    private RegionOptions Region => _options.CurrentValue;

    private FailoverTiming Timing => FailoverTiming.From(_options.CurrentValue);

    /// <summary>Whether this group may fail over on its own: enabled, and an odd number (at least three) of voters.</summary>
    public bool AutomaticFailover => PrimaryElection.FailsOverAutomatically(Region);

    /// <summary>The region the Raft leader runs in, or null while there is none.</summary>
    public string? LeaderRegion
    {
        get
        {
            if (_cluster.Leader?.EndPoint is not UriEndPoint { Uri: var leader })
            {
                return null;
            }

            return Region.Voters.FirstOrDefault(voter => Region.Endpoints.TryGetValue(voter, out var endpoint) && SameEndpoint(endpoint, leader));
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
        if (Region.FailoverEnabled && !AutomaticFailover)
        {
            Log.AutomaticFailoverOff(_logger, Region.Voters.Count);
        }

        try
        {
            await Task.WhenAll(
                KeepRunningAsync("fence", new PrimaryFence(Region.CurrentRegion, _cluster, _machine, _role, () => Timing, _time, _logger).RunAsync, stoppingToken),
                KeepRunningAsync("watch", WatchLoopAsync, stoppingToken),
                KeepRunningAsync("configured-primary", ConfiguredPrimaryLoopAsync, stoppingToken)).ConfigureAwait(false);
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

        var me = Region.CurrentRegion;
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
            _ = Task.Run(() => TakeOverAsync(state, last, _stopping));
        }
    }

    /// <summary>Waits out the old primary's lease, then for its last entries (while it answers), then accepts strong writes.</summary>
    private async Task TakeOverAsync(PrimaryState state, FailoverRecord change, CancellationToken stoppingToken)
    {
        var from = change.From;
        try
        {
            await Task.Delay(Timing.FenceDelay, _time, stoppingToken).ConfigureAwait(false);
            var deadline = DeadlineAfter(Timing.SwitchoverTimeout);
            while (_role.State.Epoch == state.Epoch)
            {
                var old = await _peers.StatusAsync(from, Timing.StatusTimeout, stoppingToken).ConfigureAwait(false);
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
                Log.AcceptingStrongWrites(_logger, Region.CurrentRegion, state.Epoch);
                await RecordInAuditTrailAsync(change, stoppingToken).ConfigureAwait(false);
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

    /// <summary>
    /// After every probe the peer monitor records (at least every check interval): on the leader, fails over once the monitor has
    /// seen the primary fail <c>failure_threshold</c> checks in a row (it probes the primary at the check interval); a new group's
    /// leader commits the first primary.
    /// </summary>
    private async Task WatchLoopAsync(CancellationToken stoppingToken)
    {
        var me = Region.CurrentRegion;
        while (!stoppingToken.IsCancellationRequested)
        {
            var state = _role.State;
            if (!state.HasPrimary)
            {
                // A new group: its first leader commits the configured primary as primary of epoch 1.
                if (IsLeader)
                {
                    await ProposeAsync(new PrimaryCommand(0, Region.EffectivePrimary, FailoverReasons.Config, _time.GetUtcNow().ToUnixTimeMilliseconds()), stoppingToken)
                        .ConfigureAwait(false);
                }

                await Task.Delay(Timing.CheckInterval, _time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            var failures = state.Primary == me ? 0 : _monitor.Snapshot(state.Primary)?.ConsecutiveFailures ?? 0;
            if (failures >= Math.Max(1, Region.FailureThreshold) && AutomaticFailover && IsLeader)
            {
                await FailOverAsync(state, stoppingToken).ConfigureAwait(false);
            }

            await _monitor.WaitForNextProbeAsync(Timing.CheckInterval, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>On the leader: promotes the healthy region that applied most of the failed primary's outbox (ties: <c>regions</c> order).</summary>
    private async Task FailOverAsync(PrimaryState state, CancellationToken stoppingToken)
    {
        var candidates = Region.Regions.Where(region => region != state.Primary).ToArray();
        var statuses = await Task.WhenAll(candidates.Select(region => _peers.StatusAsync(region, Timing.StatusTimeout, stoppingToken))).ConfigureAwait(false);
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

            using var attempt = new Deadline(Timing.SwitchoverTimeout, _time, cancellationToken);
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

    /// <summary>
    /// Every change of primary goes into the audit trail once, recorded by the new primary when it takes over (a data region,
    /// whose trail replicates): a failover on health and a switchover by configuration have no API call of their own to be
    /// recorded by. Its id comes from the change itself, so a take-over repeated after a restart records nothing new.
    /// </summary>
    private async Task RecordInAuditTrailAsync(FailoverRecord change, CancellationToken cancellationToken)
    {
        if (_audit is null)
        {
            return;
        }
        var action = change.Reason switch
        {
            FailoverReasons.Health => "failover (the primary failed its health checks)",
            FailoverReasons.Config => "switchover (region.primary_region changed)",
            _ => "switchover (POST /api/failover)",
        };
        var entry = new AuditEntry(AuditEntry.IdFor(change.At, $"primary change {change.Epoch} {change.From} {change.To}"), change.At, Region.CurrentRegion,
            AuditEntry.SystemKey, action, $"{change.From} → {change.To}, epoch {change.Epoch}", 200);
        try
        {
            await _audit.RecordAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.PrimaryChangeNotAudited(_logger, change.Epoch, exception.Message);
        }
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
