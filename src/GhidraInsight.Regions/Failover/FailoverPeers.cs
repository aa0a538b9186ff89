using System.Net.Http.Json;
using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// The calls failover makes to other regions over the signed internal API: a region's status and the switchover relay. Every
/// call is bounded; a region that does not answer is null. (Whether the primary is alive comes from the peer monitor.)
/// </summary>
internal sealed class FailoverPeers(RegionOptions options, PrimaryRole role, IReplicationLog log, HttpClient signed, TimeProvider time)
{
    /// <summary>This region's own status.</summary>
    public async Task<FailoverStatus> LocalStatusAsync(CancellationToken cancellationToken)
    {
        var state = role.State;
        var head = await log.GetLastOutboxSequenceAsync(cancellationToken).ConfigureAwait(false);
        var marks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var origin in options.Regions.Where(region => region != options.CurrentRegion))
        {
            marks[origin] = await log.GetHighWaterMarkAsync(origin, cancellationToken).ConfigureAwait(false);
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

        return (await CallAsync(region, FailoverPaths.Status, timeout, async (uri, token) =>
        {
            using var response = await signed.GetAsync(uri, token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.FailoverStatus, token).ConfigureAwait(false)
                : null;
        }, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>
    /// Asks <paramref name="leader"/> to run the switchover. Null when it cannot be reached or answers nonsense; <c>TimedOut</c>
    /// when it was asked but did not answer within <paramref name="timeout"/> (the switchover may still happen).
    /// </summary>
    public async Task<(SwitchoverResult? Result, bool TimedOut)> RelaySwitchoverAsync(string leader, SwitchoverRequest request, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var call = await CallAsync(leader, FailoverPaths.Switchover, timeout, async (uri, token) =>
        {
            using var response = await signed.PostAsJsonAsync(uri, request, ContractsJsonContext.Default.SwitchoverRequest, token).ConfigureAwait(false);
            return await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.SwitchoverResult, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return (call.Value, call.TimedOut);
    }

    /// <summary>
    /// Runs <paramref name="call"/> against <paramref name="region"/>'s <paramref name="path"/> within <paramref name="timeout"/>.
    /// A region without an endpoint, a failed connection or a malformed answer give the default value; running out of time also
    /// sets <c>TimedOut</c>. Only the caller's own cancellation throws.
    /// </summary>
    private async Task<(T? Value, bool TimedOut)> CallAsync<T>(string region, string path, TimeSpan timeout, Func<Uri, CancellationToken, Task<T?>> call,
        CancellationToken cancellationToken)
    {
        if (!options.Endpoints.TryGetValue(region, out var endpoint))
        {
            return (default, false);
        }

        using var deadline = new Deadline(timeout, time, cancellationToken);
        try
        {
            return (await call(new Uri(endpoint.AbsoluteUri.TrimEnd('/') + path), deadline.Token).ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (default, true);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException)
        {
            return (default, false);
        }
    }
}
