using System.Net.Http.Json;
using System.Text.Json;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Cli.Up;

/// <summary>
/// When <c>up</c> may say "up": every region sees every other as healthy (<c>GET /api/regions</c> of each), the gateway serves
/// from every region (its <c>/health</c>), one region reports on <c>/health</c> that it accepts strong writes, and the gateway
/// names it as the primary. So <c>ghidrainsight regions</c> right after shows ✓ everywhere and the primary, through the
/// gateway or from any region.
/// </summary>
internal sealed class ClusterReadiness(IReadOnlyList<Uri> regions, Uri gateway, TimeProvider time, HttpMessageHandler? handler = null) : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient _http = new(handler ?? new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>
    /// The primary once the deployment is up, or null when it is not within <paramref name="timeout"/> or <paramref name="giveUp"/>
    /// says waiting is pointless (a region exited); <see cref="LastProblem"/> says what was missing.
    /// </summary>
    public async Task<string?> WaitAsync(TimeSpan timeout, Func<bool> giveUp, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < timeout)
        {
            if (giveUp())
            {
                LastProblem = "a region exited while the others were coming up";
                return null;
            }

            if (await AllSeeEachOtherAsync(cancellationToken) && await GatewaySeesAllAsync(cancellationToken)
                && await AcceptingPrimaryAsync(cancellationToken) is { } primary && await GatewayNamesAsync(primary, cancellationToken))
            {
                return primary;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }

        return null;
    }

    /// <summary>What was still missing at the last check, for the message when <see cref="WaitAsync"/> gives up.</summary>
    public string LastProblem { get; private set; } = "no region answered yet";

    private async Task<bool> AllSeeEachOtherAsync(CancellationToken cancellationToken)
    {
        foreach (var region in regions)
        {
            var statuses = await GetAsync(region, "/api/regions", ContractsJsonContext.Default.RegionStatusMap, cancellationToken);
            if (statuses is null)
            {
                LastProblem = $"{region} does not answer /api/regions";
                return false;
            }

            if (statuses.FirstOrDefault(status => !status.Value.Healthy) is { Key: { } down } entry)
            {
                LastProblem = $"{region} does not see {down} as healthy yet{(entry.Value.Error is { } error ? $" ({error})" : "")}";
                return false;
            }
        }

        return true;
    }

    private async Task<bool> GatewaySeesAllAsync(CancellationToken cancellationToken)
    {
        var health = await GetAsync(gateway, "/health", ContractsJsonContext.Default.GatewayHealth, cancellationToken);
        if (health?.Serving.Count == regions.Count)
        {
            return true;
        }

        LastProblem = health is null ? "the gateway does not answer /health" : $"the gateway does not serve from {string.Join(", ", health.Out.Keys)} yet";
        return false;
    }

    /// <summary>The gateway names <paramref name="primary"/> too (its probes may predate the election), so strong writes and
    /// <c>regions</c> through it find the primary right after "up".</summary>
    private async Task<bool> GatewayNamesAsync(string primary, CancellationToken cancellationToken)
    {
        var health = await GetAsync(gateway, "/health", ContractsJsonContext.Default.GatewayHealth, cancellationToken);
        if (health?.Primary == primary)
        {
            return true;
        }

        LastProblem = $"the gateway does not name {primary} as the primary yet";
        return false;
    }

    private async Task<string?> AcceptingPrimaryAsync(CancellationToken cancellationToken)
    {
        foreach (var region in regions)
        {
            if (await GetAsync(region, "/health", ContractsJsonContext.Default.HealthReport, cancellationToken) is { AcceptingStrongWrites: true } health)
            {
                return health.Region;
            }
        }

        LastProblem = "no region accepts strong writes yet (the regions are electing a primary)";
        return null;
    }

    private async Task<T?> GetAsync<T>(Uri region, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(region, path), cancellationToken);
            return response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable
                ? await response.Content.ReadFromJsonAsync(type, cancellationToken)
                : default;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return default;
        }
    }

    public void Dispose() => _http.Dispose();
}
