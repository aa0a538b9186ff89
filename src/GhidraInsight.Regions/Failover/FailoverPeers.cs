using System.Net.Http.Json;
using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// The calls failover makes to other regions: a liveness probe of the primary (unsigned, like any health check), and the
/// signed status and switchover relay of the internal API. Every call is bounded; a region that does not answer is null.
/// </summary>
internal sealed class FailoverPeers(RegionOptions options, PrimaryRole role, IAnalysisStore store, HttpClient probes, HttpClient signed)
{
    /// <summary>Whether <paramref name="region"/> answers <c>/health/live</c> within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsAliveAsync(string region, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!options.Endpoints.TryGetValue(region, out var endpoint))
        {
            return false;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await probes.GetAsync(Resolve(endpoint, "/health/live"), HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>This region's own status.</summary>
    public async Task<FailoverStatus> LocalStatusAsync(CancellationToken cancellationToken)
    {
        var state = role.State;
        var head = await store.GetLastOutboxSequenceAsync(cancellationToken).ConfigureAwait(false);
        var marks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var origin in options.Regions.Where(region => region != options.CurrentRegion))
        {
            marks[origin] = await store.GetHighWaterMarkAsync(origin, cancellationToken).ConfigureAwait(false);
        }

        return new FailoverStatus(options.CurrentRegion, state.Primary, state.Epoch, role.CanAcceptStrongWrites(out _), head, marks);
    }

    /// <summary>The status of <paramref name="region"/> (this region's own without a call), or null when it does not answer in time.</summary>
    public async Task<FailoverStatus?> StatusAsync(string region, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (region == options.CurrentRegion)
        {
            return await LocalStatusAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!options.Endpoints.TryGetValue(region, out var endpoint))
        {
            return null;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await signed.GetAsync(Resolve(endpoint, FailoverPaths.Status), deadline.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync(FailoverJsonContext.Default.FailoverStatus, deadline.Token).ConfigureAwait(false)
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// Asks <paramref name="leader"/> to run the switchover. Null when it cannot be reached or answers nonsense; <c>TimedOut</c>
    /// when it was asked but did not answer within <paramref name="timeout"/> (the switchover may still happen).
    /// </summary>
    public async Task<(SwitchoverResult? Result, bool TimedOut)> RelaySwitchoverAsync(string leader, SwitchoverRequest request, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        if (!options.Endpoints.TryGetValue(leader, out var endpoint))
        {
            return (null, false);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await signed.PostAsJsonAsync(Resolve(endpoint, FailoverPaths.Switchover), request, FailoverJsonContext.Default.SwitchoverRequest, deadline.Token)
                .ConfigureAwait(false);
            return (await response.Content.ReadFromJsonAsync(FailoverJsonContext.Default.SwitchoverResult, deadline.Token).ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, true);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            return (null, false);
        }
    }

    private static Uri Resolve(Uri endpoint, string path) => new(endpoint.AbsoluteUri.TrimEnd('/') + path);
}
