using GhidraInsight.Configuration;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Regions.Forwarding;
using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Locality;
using GhidraInsight.Regions.Replication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace GhidraInsight.Regions;

/// <summary>
/// This region's view of the deployment, the operator guide's <c>MultiRegionManager</c>: <see cref="InitializeAsync"/>,
/// <see cref="CheckAllRegionsAsync"/>, <see cref="GetBestRegion"/>, <see cref="GetRegionStatus"/>,
/// <see cref="IsCurrentRegionPrimary"/>, <see cref="ReplicateToAllAsync"/> and <see cref="RouteToPrimaryAsync"/>. The host
/// runs it (<c>RegionsBackgroundService</c>), the write paths hand their changes to replication through it, and forwarding of
/// strong writes goes through it. Who is primary comes from <see cref="PrimaryRole"/>: the Raft group's committed choice, or
/// the configured primary when there is no group.
/// </summary>
public sealed class MultiRegionManager
{
    /// <summary>How long <see cref="InitializeAsync"/> waits for the first round of probes, so a start is never held longer.</summary>
    internal static readonly TimeSpan FirstProbeLimit = TimeSpan.FromSeconds(1);

    private readonly IOptionsMonitor<RegionOptions> _options;
    private readonly PeerMonitor _monitor;
    private readonly ReplicationService _replication;
    private readonly OutboxPruner _pruner;
    private readonly PrimaryRole _role;
    private readonly PrimaryForwarder _forwarder;
    private readonly RemoteBinaryFetcher _binaries;
    private readonly TimeProvider _time;

    internal MultiRegionManager(IOptionsMonitor<RegionOptions> options, PeerMonitor monitor, ReplicationService replication, OutboxPruner pruner,
        PrimaryRole role, PrimaryForwarder forwarder, RemoteBinaryFetcher binaries, TimeProvider time)
    {
        _options = options;
        _monitor = monitor;
        _replication = replication;
        _pruner = pruner;
        _role = role;
        _forwarder = forwarder;
        _binaries = binaries;
        _time = time;
    }

    /// <summary>This process's region.</summary>
    public string CurrentRegion => _options.CurrentValue.CurrentRegion;

    /// <summary>The region that accepts strong writes, as of the last committed change this region applied ("" before the first).</summary>
    public string PrimaryRegion => _role.State.Primary;

    /// <summary>The epoch of <see cref="PrimaryRegion"/>.</summary>
    public long Epoch => _role.State.Epoch;

    /// <summary>Every change of primary so far, oldest first.</summary>
    public IReadOnlyList<FailoverRecord> FailoverHistory => _role.State.History;

    /// <summary>Base URL of the primary; null when it has none configured (a single region).</summary>
    public Uri? PrimaryEndpoint => _options.CurrentValue.Endpoints.TryGetValue(PrimaryRegion, out var endpoint) ? endpoint : null;

    /// <summary>The guide's <c>is_current_region_primary()</c>: whether this region is the committed primary (it may still be fenced).</summary>
    public bool IsCurrentRegionPrimary => _role.IsCurrentRegionPrimary;

    /// <summary>The regions this one replicates its writes to.</summary>
    public IReadOnlyList<string> ReplicationTargets => _replication.Targets;

    /// <summary>Whether this region may accept a strong write now (primary, taken over, and fenced by a recent majority contact).</summary>
    public bool CanAcceptStrongWrites(out string reason) => _role.CanAcceptStrongWrites(out reason);

    /// <summary>
    /// The guide's <c>initialize()</c>: probes every other region once (waiting at most a second, so a start is not held by a
    /// region that does not answer), so status is known from the start. The host then calls <see cref="RunAsync"/>.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default) =>
        await _monitor.CheckAllRegionsAsync(FirstProbeLimit, cancellationToken).ConfigureAwait(false);

    /// <summary>Keeps probing, replicating and pruning the outbox until <paramref name="stoppingToken"/>; each loop recovers from its own failures.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_monitor.RunAsync(stoppingToken), _replication.RunAsync(stoppingToken), _pruner.RunAsync(stoppingToken));

    /// <summary>The guide's <c>check_all_regions()</c>: probes every other region now (in parallel) and returns <see cref="GetRegionStatus"/>.</summary>
    public async Task<IReadOnlyDictionary<string, RegionStatus>> CheckAllRegionsAsync(CancellationToken cancellationToken = default)
    {
        await _monitor.CheckAllRegionsAsync(null, cancellationToken).ConfigureAwait(false);
        return GetRegionStatus();
    }

    /// <summary>
    /// The guide's <c>get_best_region()</c>: the healthy other region with the lowest smoothed latency (ties: <c>regions</c>
    /// order). The current region would always win at latency 0, so it counts only as the fallback when no other is healthy.
    /// </summary>
    public string GetBestRegion()
    {
        var snapshots = _monitor.Snapshot();
        return _options.CurrentValue.Regions
            .Select((region, order) => (Region: region, Order: order, Found: snapshots.TryGetValue(region, out var snapshot), Snapshot: snapshot))
            .Where(candidate => candidate.Found && candidate.Snapshot!.Healthy)
            .OrderBy(candidate => candidate.Snapshot!.SmoothedLatencyMs ?? double.MaxValue)
            .ThenBy(candidate => candidate.Order)
            .Select(candidate => candidate.Region)
            .FirstOrDefault() ?? CurrentRegion;
    }

    /// <summary>
    /// The guide's <c>get_region_status()</c>: every region of the deployment in configuration order, this one included (healthy,
    /// 0 ms); roles as of the last committed change.
    /// </summary>
    public IReadOnlyDictionary<string, RegionStatus> GetRegionStatus()
    {
        var options = _options.CurrentValue;
        var snapshots = _monitor.Snapshot();
        var statuses = new Dictionary<string, RegionStatus>(StringComparer.Ordinal);
        foreach (var region in options.Regions.Append(options.CurrentRegion).Distinct(StringComparer.Ordinal))
        {
            if (region == options.CurrentRegion)
            {
                statuses[region] = new RegionStatus(true, 0, _time.GetUtcNow(), null, RoleOf(region), 0);
            }
            else if (snapshots.TryGetValue(region, out var snapshot))
            {
                statuses[region] = new RegionStatus(snapshot.Healthy, snapshot.LatencyMs, snapshot.LastCheck, snapshot.Error, RoleOf(region),
                    _replication.CachedLagMs(region));
            }
        }

        return statuses;
    }

    /// <summary>
    /// The guide's <c>replicate_to_all()</c>: hands everything this region has written so far to every replication target (the
    /// writes are already durable in the outbox, in the same transaction as the data). Without
    /// <paramref name="acknowledgedWithin"/> it wakes the replicators and returns true at once (async replication). With it, it
    /// also waits until at least one target acknowledged those writes, and returns whether one did in time (sync replication).
    /// </summary>
    public async Task<bool> ReplicateToAllAsync(TimeSpan? acknowledgedWithin = null, CancellationToken cancellationToken = default)
    {
        _replication.Notify();
        return acknowledgedWithin is not { } timeout || await _replication.WaitForAnyAcknowledgementAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The guide's <c>route_to_primary()</c>: forwards the request being served to the primary (YARP's <c>IHttpForwarder</c>), with
    /// the caller's own credentials, and streams the primary's answer back. <see cref="ForwarderError.None"/> when the primary
    /// answered; otherwise nothing was relayed yet when the answer has not started.
    /// </summary>
    /// <exception cref="InvalidOperationException">This region is the primary, or the primary has no endpoint.</exception>
    public ValueTask<ForwarderError> RouteToPrimaryAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsCurrentRegionPrimary)
        {
            throw new InvalidOperationException("This region is the primary; handle the request locally.");
        }

        var endpoint = PrimaryEndpoint ?? throw new InvalidOperationException($"No endpoint is configured for the primary region '{PrimaryRegion}'.");
        return _forwarder.ForwardAsync(context, endpoint, PrimaryRegion);
    }

    /// <summary>A raw binary this region does not hold, fetched from another region that does (checked against its SHA-256); null when none has it.</summary>
    public Task<byte[]?> FetchBinaryAsync(string analysisId, CancellationToken cancellationToken = default) => _binaries.FetchAsync(analysisId, cancellationToken);

    /// <summary><c>primary</c>, <c>witness</c> or <c>replica</c>: <paramref name="region"/>'s role as of the last change of primary applied here.</summary>
    public string RoleOf(string region) =>
        region == PrimaryRegion ? RegionStatus.PrimaryRole : region == _options.CurrentValue.Witness ? RegionStatus.WitnessRole : RegionStatus.ReplicaRole;
}
