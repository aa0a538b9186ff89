using System.Net.Http.Json;
using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Fencing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Health;

/// <summary>
/// The one monitor of every other region. Each peer has its own probe loop on <c>GET /health</c>, and the result feeds
/// everything that asks about a peer: region status and the best region, metrics, and failover detection. The cadence
/// depends on the peer:
/// <list type="bullet">
/// <item>the primary, when the regions fail over automatically: every <c>failover_check_interval_ms</c>, with a short timeout,
/// so a dead primary is noticed within <c>failure_threshold</c> such checks;</item>
/// <item>a peer not known to be up (never answered yet, or down): every <see cref="ReprobeInterval"/>, so a region that starts
/// or returns shows as up quickly;</item>
/// <item>any other: every <c>health_check_interval</c> seconds, with <c>cross_region_timeout</c>.</item>
/// </list>
/// Intervals and thresholds are read at every step, so a reload applies without a restart.
/// </summary>
internal sealed class PeerMonitor
{
    /// <summary>How often a peer that is not known to be up is probed.</summary>
    internal static readonly TimeSpan ReprobeInterval = TimeSpan.FromMilliseconds(250);

    private readonly IOptionsMonitor<RegionOptions> _options;
    private readonly PrimaryRole _role;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, PeerHealthState> _states;
    private TaskCompletionSource _probed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PeerMonitor(IOptionsMonitor<RegionOptions> options, PrimaryRole role, HttpClient http, TimeProvider time, ILogger<PeerMonitor> logger)
    {
        _options = options;
        _role = role;
        _http = http;
        _time = time;
        _logger = logger;
        var region = options.CurrentValue;
        _states = region.Regions
            .Where(name => name != region.CurrentRegion)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(name => name, name => new PeerHealthState(name), StringComparer.Ordinal);
    }

    /// <summary>The regions probed: every region but this one (a witness is never probed; it serves no data).</summary>
    public IEnumerable<string> Peers => _states.Keys;

    public IReadOnlyDictionary<string, PeerHealthSnapshot> Snapshot() =>
        _states.ToDictionary(pair => pair.Key, pair => pair.Value.Snapshot(), StringComparer.Ordinal);

    /// <summary>What is known of <paramref name="peer"/>; null when it is not a peer.</summary>
    public PeerHealthSnapshot? Snapshot(string peer) => _states.TryGetValue(peer, out var state) ? state.Snapshot() : null;

    /// <summary>Probes every peer now, in parallel, each within its usual timeout but at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyDictionary<string, PeerHealthSnapshot>> CheckAllRegionsAsync(TimeSpan? limit = null, CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_states.Keys.Select(peer => ProbeAsync(peer, limit, cancellationToken))).ConfigureAwait(false);
        return Snapshot();
    }

    /// <summary>
    /// Completes when the next probe of any peer has been recorded, or after <paramref name="timeout"/>; so failover detection reacts
    /// to a failed check at once instead of on its own schedule.
    /// </summary>
    public async Task WaitForNextProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new Deadline(timeout, _time, cancellationToken);
        try
        {
            await Volatile.Read(ref _probed).Task.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: nothing was probed meanwhile.
        }
    }

    /// <summary>Runs one probe loop per peer until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_states.Keys.Select(peer => RunPeerAsync(peer, cancellationToken)));

    private async Task RunPeerAsync(string peer, CancellationToken cancellationToken)
    {
        // A short tick, so a peer that becomes the primary (or a reloaded interval) takes effect at once, not after the old wait.
        var lastProbe = _time.GetTimestamp();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var tick = TimeSpan.FromMilliseconds(Math.Min(ReprobeInterval.TotalMilliseconds, _options.CurrentValue.FailoverCheckIntervalMs));
                await Task.Delay(tick, _time, cancellationToken).ConfigureAwait(false);
                if (_time.GetElapsedTime(lastProbe) >= NextDelay(peer))
                {
                    lastProbe = _time.GetTimestamp();
                    await ProbeAsync(peer, null, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>How long until <paramref name="peer"/> is probed again (see the class summary).</summary>
    internal TimeSpan NextDelay(string peer)
    {
        var options = _options.CurrentValue;
        var regular = TimeSpan.FromSeconds(Math.Max(1, options.HealthCheckIntervalSeconds));
        if (IsWatchedPrimary(peer, options))
        {
            return TimeSpan.FromMilliseconds(options.FailoverCheckIntervalMs);
        }

        return _states[peer].Snapshot().Healthy ? regular : TimeSpan.FromTicks(Math.Min(regular.Ticks, ReprobeInterval.Ticks));
    }

    internal async Task ProbeAsync(string peer, TimeSpan? limit, CancellationToken cancellationToken)
    {
        try
        {
            await ProbeOnceAsync(peer, limit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _probed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private async Task ProbeOnceAsync(string peer, TimeSpan? limit, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var state = _states[peer];
        if (!options.Endpoints.TryGetValue(peer, out var endpoint))
        {
            Fail(state, peer, "no endpoint configured", options);
            return;
        }

        var timeout = IsWatchedPrimary(peer, options)
            ? FailoverTiming.From(options).CheckTimeout
            : TimeSpan.FromSeconds(Math.Max(1, options.CrossRegionTimeoutSeconds));
        if (limit is { } cap && cap < timeout)
        {
            timeout = cap;
        }

        using var deadline = new Deadline(timeout, _time, cancellationToken);
        var started = _time.GetTimestamp();
        try
        {
            using var response = await _http.GetAsync(new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/health"), HttpCompletionOption.ResponseContentRead, deadline.Token)
                .ConfigureAwait(false);
            var latencyMs = _time.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                Fail(state, peer, $"HTTP {(int)response.StatusCode} from /health", options);
                return;
            }

            var health = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.HealthReport, deadline.Token).ConfigureAwait(false)
                ?? throw new JsonException("/health answered null");
            if (health.Region != peer)
            {
                Fail(state, peer, $"endpoint answers as region '{health.Region}'", options);
                return;
            }

            if (state.RecordSuccess(latencyMs, _time.GetUtcNow(), health.Role, health.Epoch, options.SuccessThreshold))
            {
                Log.RegionUp(_logger, peer, latencyMs);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timeout or the HttpClient's own.
            Fail(state, peer, $"timed out after {timeout.TotalSeconds:0.###} s", options);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or IOException or NotSupportedException)
        {
            Fail(state, peer, exception.Message, options);
        }
    }

    /// <summary>Whether <paramref name="peer"/> is the primary and the regions fail over on their own, so it is watched closely.</summary>
    private bool IsWatchedPrimary(string peer, RegionOptions options) =>
        _role.State.Primary == peer && PrimaryElection.FailsOverAutomatically(options);

    private void Fail(PeerHealthState state, string peer, string error, RegionOptions options)
    {
        if (state.RecordFailure(error, _time.GetUtcNow(), options.FailureThreshold))
        {
            Log.RegionDown(_logger, peer, state.ConsecutiveFailures, error);
        }
    }
}
