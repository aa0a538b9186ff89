using System.Text.Json;
using GhidraInsight.Configuration;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Health;

/// <summary>
/// Probes <c>GET {endpoint}/health</c> of every other region (in parallel, each bounded by the cross-region timeout)
/// and keeps their <see cref="RegionHealthState"/>. <see cref="RunAsync"/> repeats this every health-check interval.
/// </summary>
internal sealed class RegionHealthMonitor
{
    private readonly RegionOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, RegionHealthState> _states;

    public RegionHealthMonitor(RegionOptions options, HttpClient http, TimeProvider time, ILogger<RegionHealthMonitor> logger)
    {
        _options = options;
        _http = http;
        _time = time;
        _logger = logger;
        _states = options.Regions
            .Where(region => region != options.CurrentRegion)
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(region => region, region => new RegionHealthState(region, Math.Max(1, options.FailureThreshold), Math.Max(1, options.SuccessThreshold)), StringComparer.Ordinal);
    }

    public IEnumerable<string> Peers => _states.Keys;

    public IReadOnlyDictionary<string, RegionHealthSnapshot> Snapshot() =>
        _states.ToDictionary(pair => pair.Key, pair => pair.Value.Snapshot(), StringComparer.Ordinal);

    /// <summary>Probes every other region now, in parallel, and returns what is known afterwards.</summary>
    public async Task<IReadOnlyDictionary<string, RegionHealthSnapshot>> CheckAllRegionsAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_states.Keys.Select(region => ProbeAsync(region, cancellationToken))).ConfigureAwait(false);
        return Snapshot();
    }

    /// <summary>Probes at once, then every HealthCheckIntervalSeconds until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, _options.HealthCheckIntervalSeconds)), _time);
        try
        {
            do
            {
                await CheckAllRegionsAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    internal async Task ProbeAsync(string region, CancellationToken cancellationToken)
    {
        var state = _states[region];
        if (!_options.Endpoints.TryGetValue(region, out var endpoint))
        {
            Fail(state, region, "no endpoint configured");
            return;
        }

        var timeout = TimeSpan.FromSeconds(Math.Max(1, _options.CrossRegionTimeoutSeconds));
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var started = _time.GetTimestamp();
        try
        {
            var uri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/health");
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            var latencyMs = _time.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                Fail(state, region, $"HTTP {(int)response.StatusCode} from /health");
                return;
            }

            var (reportedRegion, role, epoch) = ParseHealth(body);
            if (reportedRegion is not null && reportedRegion != region)
            {
                Fail(state, region, $"endpoint answers as region '{reportedRegion}'");
                return;
            }

            if (state.RecordSuccess(latencyMs, _time.GetUtcNow(), role, epoch))
            {
                Log.RegionUp(_logger, region, latencyMs);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our timeout or the HttpClient's own (both the cross-region timeout).
            Fail(state, region, $"timed out after {timeout.TotalSeconds:F0} s");
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or IOException)
        {
            Fail(state, region, exception.Message);
        }
    }

    private void Fail(RegionHealthState state, string region, string error)
    {
        if (state.RecordFailure(error, _time.GetUtcNow()))
        {
            Log.RegionDown(_logger, region, state.ConsecutiveFailures, error);
        }
    }

    /// <summary>Reads <c>region</c>, <c>role</c> and <c>epoch</c> from the peer's /health JSON; throws JsonException when it is not a JSON object.</summary>
    private static (string? Region, string? Role, long? Epoch) ParseHealth(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("/health did not return a JSON object");
        }

        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        long? epoch = root.TryGetProperty("epoch", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) ? n : null;
        return (Text("region"), Text("role"), epoch);
    }
}
