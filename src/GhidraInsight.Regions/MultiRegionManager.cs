using GhidraInsight.Configuration;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Replication;

namespace GhidraInsight.Regions;

/// <summary>
/// This region's view of the deployment: health of the others, the best region to read from, who is primary, replication
/// lag, and forwarding of strong writes to the primary. Who is primary comes from <see cref="PrimaryRole"/>: the Raft group's
/// committed choice, or the configured primary when there is no group.
/// </summary>
public sealed class MultiRegionManager
{
    private readonly RegionOptions _options;
    private readonly RegionHealthMonitor _monitor;
    private readonly ReplicationService _replication;
    private readonly HttpClient _forwarding;
    private readonly TimeProvider _time;
    private readonly PrimaryRole _role;

    internal MultiRegionManager(RegionOptions options, RegionHealthMonitor monitor, ReplicationService replication, HttpClient forwarding, TimeProvider time, PrimaryRole role)
    {
        _role = role;
        _options = options;
        _monitor = monitor;
        _replication = replication;
        _forwarding = forwarding;
        _time = time;
    }

    /// <summary>This process's region.</summary>
    public string CurrentRegion => _options.CurrentRegion;

    /// <summary>The region that accepts strong writes, as of the last committed change this region applied.</summary>
    public string PrimaryRegion => _role.State.Primary;

    /// <summary>The epoch of <see cref="PrimaryRegion"/>.</summary>
    public long Epoch => _role.State.Epoch;

    /// <summary>Every change of primary so far, oldest first.</summary>
    public IReadOnlyList<FailoverRecord> FailoverHistory => _role.State.History;

    /// <summary>Base URL of the primary; null when it has none configured (a single region).</summary>
    public Uri? PrimaryEndpoint => _options.Endpoints.TryGetValue(PrimaryRegion, out var endpoint) ? endpoint : null;

    /// <summary>Whether this region accepts strong writes itself.</summary>
    public bool IsCurrentRegionPrimary => _role.IsCurrentRegionPrimary;

    /// <summary>Whether this region may accept a strong write now (primary, taken over, and fenced by a recent majority contact).</summary>
    public bool CanAcceptStrongWrites(out string reason) => _role.CanAcceptStrongWrites(out reason);

    /// <summary>Probes the other regions once so status is known from the start.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default) =>
        await _monitor.CheckAllRegionsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Probes every other region now (in parallel) and returns <see cref="GetRegionStatus"/>.</summary>
    public async Task<IReadOnlyDictionary<string, RegionStatus>> CheckAllRegionsAsync(CancellationToken cancellationToken = default)
    {
        await _monitor.CheckAllRegionsAsync(cancellationToken).ConfigureAwait(false);
        return GetRegionStatus();
    }

    /// <summary>
    /// The healthy other region with the lowest smoothed latency (ties: <c>regions</c> order). The current region would
    /// always win at latency 0, so it counts only as the fallback when no other region is healthy.
    /// </summary>
    public string GetBestRegion()
    {
        var snapshots = _monitor.Snapshot();
        var best = _options.Regions
            .Where(region => snapshots.TryGetValue(region, out var s) && s.Healthy)
            .Select((region, order) => (Region: region, Latency: snapshots[region].SmoothedLatencyMs ?? double.MaxValue, Order: order))
            .OrderBy(candidate => candidate.Latency)
            .ThenBy(candidate => candidate.Order)
            .Select(candidate => candidate.Region)
            .FirstOrDefault();
        return best ?? CurrentRegion;
    }

    /// <summary>Every region of the deployment, this one included (healthy, 0 ms); roles as of the last committed change.</summary>
    public IReadOnlyDictionary<string, RegionStatus> GetRegionStatus()
    {
        var statuses = new Dictionary<string, RegionStatus>(StringComparer.Ordinal)
        {
            [CurrentRegion] = new RegionStatus(true, 0, _time.GetUtcNow(), null, RoleOf(CurrentRegion), 0),
        };
        foreach (var (region, snapshot) in _monitor.Snapshot())
        {
            statuses[region] = new RegionStatus(snapshot.Healthy, snapshot.LatencyMs, snapshot.LastCheck, snapshot.Error,
                RoleOf(region), _replication.CachedLagMs(region));
        }

        return statuses;
    }

    /// <summary>
    /// Wakes every replicator and waits until each target acknowledged everything written so far, or the timeout
    /// (default: the cross-region timeout) passes. Returns, per target, whether it caught up.
    /// </summary>
    public Task<IReadOnlyDictionary<string, bool>> ReplicateToAllAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _replication.WaitForDeliveryAsync(timeout ?? TimeSpan.FromSeconds(Math.Max(1, _options.CrossRegionTimeoutSeconds)), cancellationToken);

    /// <summary>
    /// Sends <paramref name="request"/> to the primary: a relative URI is resolved against the primary's endpoint, an
    /// absolute one has its scheme, host and port replaced. Not signed: it carries the caller's own credentials.
    /// </summary>
    /// <exception cref="InvalidOperationException">This region is the primary, or the primary has no endpoint.</exception>
    public Task<HttpResponseMessage> RouteToPrimaryAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsCurrentRegionPrimary)
        {
            throw new InvalidOperationException("This region is the primary; handle the request locally.");
        }

        var endpoint = PrimaryEndpoint ?? throw new InvalidOperationException($"No endpoint is configured for the primary region '{PrimaryRegion}'.");
        var pathAndQuery = request.RequestUri switch
        {
            null => "/",
            { IsAbsoluteUri: true } absolute => absolute.PathAndQuery,
            var relative => relative.OriginalString,
        };
        request.RequestUri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + pathAndQuery.TrimStart('/'));
        return _forwarding.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary><c>primary</c>, <c>witness</c> or <c>replica</c>: <paramref name="region"/>'s role as of the last change of primary applied here.</summary>
    public string RoleOf(string region) =>
        region == PrimaryRegion ? RegionStatus.PrimaryRole : region == _options.Witness ? RegionStatus.WitnessRole : RegionStatus.ReplicaRole;
}
