using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Problems;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Storage;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Server.Diagnostics;

/// <summary>
/// What <c>ghidrainsight doctor</c> needs from a region, found out when asked: a signed round trip to every other region (so a
/// link, a secret or a clock that is wrong shows from where it is wrong), replication, the primary and the consensus leader, the
/// data folder, and in PostgreSQL mode the database's role next to Patroni's.
/// </summary>
internal sealed class RegionDiagnosis(
    IOptionsMonitor<GhidraOptions> options,
    MultiRegionManager manager,
    ReplicationService replication,
    IHttpClientFactory clients,
    DataFolderSpace space,
    TimeProvider time,
    GhidraConfiguration? configuration = null,
    FailoverCoordinator? raft = null,
    IDatabaseReplication? database = null)
{
    /// <summary>How long one region waits for another's signed clock.</summary>
    internal static readonly TimeSpan PeerDeadline = TimeSpan.FromSeconds(3);

    /// <summary>How long the answering region waits for another's whole report (which includes that region's own round trips).</summary>
    internal static readonly TimeSpan ReportDeadline = TimeSpan.FromSeconds(8);

    /// <summary>This region's report.</summary>
    public async Task<RegionDiagnostics> DiagnoseAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var region = current.Region;
        var others = region.Regions.Where(r => r != region.CurrentRegion).ToList();
        var links = await Task.WhenAll(others.Select(peer => region.Endpoints.TryGetValue(peer, out var endpoint)
            ? LinkAsync(endpoint, cancellationToken)
            : Task.FromResult(new PeerLink(false, false, null, null, "no endpoint is configured for it (region.endpoints)"))));
        var targets = (await replication.StatusAsync(cancellationToken)).ToDictionary(t => t.Key, t => t.Value.ToHealth(), StringComparer.Ordinal);
        var patroni = RegionsServiceCollectionExtensions.PatroniApi(current);
        var view = patroni is not null ? await PatroniViewAsync(patroni, region.CurrentRegion, cancellationToken) : null;
        var (consensus, leader) = raft is not null ? ("raft", raft.LeaderRegion)
            : patroni is not null ? ("patroni", view?.Leader)
            : ("none", (string?)null);
        return new RegionDiagnostics(
            region.CurrentRegion,
            time.GetUtcNow(),
            Environment.MachineName,
            Environment.ProcessId,
            int.TryParse(Environment.GetEnvironmentVariable(RegionDiagnostics.UpProcessVariable), out var up) ? up : null,
            region.Regions,
            region.Endpoints,
            region.PrimaryRegion,
            configuration?.LastRefusedReload is { } refused ? string.Join("; ", refused.Errors) : null,
            manager.PrimaryRegion.Length > 0 ? manager.PrimaryRegion : null,
            manager.Epoch,
            manager.CanAcceptStrongWrites(out _),
            consensus,
            leader,
            targets,
            others.Zip(links).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal),
            region.IsWitness ? null : new StorageDiagnostics(current.Storage.Provider, space.Folder, space.FreeBytes, space.ReserveBytes),
            patroni is not null ? await DatabaseRolesAsync(view, cancellationToken) : null);
    }

    /// <summary>Every region's report: this one's, and each other's fetched with a signed request.</summary>
    public async Task<DeploymentDiagnostics> DiagnoseDeploymentAsync(CancellationToken cancellationToken)
    {
        var region = options.CurrentValue.Region;
        var own = DiagnoseAsync(cancellationToken);
        var others = region.Regions.Where(r => r != region.CurrentRegion)
            .Select(async peer => (peer, region.Endpoints.TryGetValue(peer, out var endpoint)
                ? await ReportAsync(endpoint, cancellationToken)
                : new RegionDiagnosticsEntry(null, "no endpoint is configured for it (region.endpoints)")))
            .ToList();
        var entries = new Dictionary<string, RegionDiagnosticsEntry>(StringComparer.Ordinal) { [region.CurrentRegion] = new(await own) };
        foreach (var (peer, entry) in await Task.WhenAll(others))
        {
            entries[peer] = entry;
        }

        return new DeploymentDiagnostics(region.CurrentRegion, entries);
    }

    private async Task<PeerLink> LinkAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PeerDeadline);
        var sentAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(RegionHttpClients.Failover)
                .GetAsync(new Uri(endpoint, DiagnosticsEndpoints.ClockPath), deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            var roundTrip = time.GetElapsedTime(started);
            var middle = sentAt + roundTrip / 2;
            var roundTripMs = Math.Round(roundTrip.TotalMilliseconds, 3);
            if (response.IsSuccessStatusCode && TryClock(body) is { } clock)
            {
                return new PeerLink(true, true, roundTripMs, Math.Round((clock.Time - middle).TotalMilliseconds, 3));
            }

            // Refused: the problem names why (bad_signature, stale, unknown_region…); the Date header still gives the other clock to
            // the second, which is enough to tell a clock minutes off.
            double? skew = response.Headers.Date is { } date ? Math.Round((date - middle).TotalMilliseconds, 3) : null;
            return new PeerLink(true, false, roundTripMs, skew, Refusal(response, body));
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new PeerLink(false, false, null, null, exception is OperationCanceledException
                ? $"no answer from {endpoint} within {PeerDeadline.TotalSeconds:0} s"
                : $"cannot reach {endpoint}: {exception.Message}");
        }
    }

    private async Task<RegionDiagnosticsEntry> ReportAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReportDeadline);
        try
        {
            using var response = await clients.CreateClient(RegionHttpClients.Failover)
                .GetAsync(new Uri(endpoint, DiagnosticsEndpoints.InternalPath), deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return new RegionDiagnosticsEntry(null, $"{endpoint} {Refusal(response, body)}");
            }

            return new RegionDiagnosticsEntry(JsonSerializer.Deserialize(body, ContractsJsonContext.Default.RegionDiagnostics));
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return new RegionDiagnosticsEntry(null, exception is OperationCanceledException
                ? $"no report from {endpoint} within {ReportDeadline.TotalSeconds:0} s"
                : $"cannot get a report from {endpoint}: {exception.Message}");
        }
    }

    /// <summary><c>answered 401: bad_signature</c>: the status, and the problem's detail (or title) when the answer is one.</summary>
    private static string Refusal(HttpResponseMessage response, byte[] body) =>
        Problem.TryParse(body) is { } problem ? $"answered {(int)response.StatusCode}: {problem.Detail ?? problem.Title}" : $"answered {(int)response.StatusCode}";

    private static RegionClock? TryClock(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, ContractsJsonContext.Default.RegionClock);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Patroni's view of the cluster (<c>GET /cluster</c>): the member holding the leader key (member names are region names),
    /// the role it records for this region's member, and whether it is paused; null when it could not be read.
    /// </summary>
    private async Task<PatroniView?> PatroniViewAsync(Uri patroni, string region, CancellationToken cancellationToken)
    {
        using var document = await PatroniAsync(new Uri(patroni, "cluster"), cancellationToken).ConfigureAwait(false);
        if (document is null || !document.RootElement.TryGetProperty("members", out var members) || members.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        string? leader = null;
        string? role = null;
        foreach (var member in members.EnumerateArray())
        {
            var name = member.TryGetProperty("name", out var n) ? n.GetString() : null;
            var memberRole = member.TryGetProperty("role", out var r) ? r.GetString() : null;
            if (memberRole is "leader" or "standby_leader")
            {
                leader = name;
            }
            if (name == region)
            {
                // Patroni 3 says leader, replica or sync_standby; "master" and "primary" in some versions' own status.
                role = memberRole is "leader" or "master" or "primary" ? "primary" : memberRole is null ? null : "replica";
            }
        }

        var paused = document.RootElement.TryGetProperty("pause", out var pause) && pause.ValueKind == JsonValueKind.True;
        return new PatroniView(leader, role, paused);
    }

    /// <summary>The database's own role (<c>pg_is_in_recovery()</c>) next to the role Patroni records for its member.</summary>
    private async Task<DatabaseRoles> DatabaseRolesAsync(PatroniView? patroni, CancellationToken cancellationToken)
    {
        string? databaseRole = null;
        var errors = new List<string>();
        if (database is not null)
        {
            try
            {
                databaseRole = (await database.ReadAsync(cancellationToken).ConfigureAwait(false)).Replay is null ? "primary" : "replica";
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException or StoreUnavailableException)
            {
                errors.Add($"the database: {exception.Message}");
            }
        }

        if (patroni?.Role is null)
        {
            errors.Add("Patroni's cluster view does not list this member (or could not be read)");
        }

        return new DatabaseRoles(databaseRole, patroni?.Role, patroni?.Paused ?? false, errors.Count > 0 ? string.Join("; ", errors) : null);
    }

    private sealed record PatroniView(string? Leader, string? Role, bool Paused);

    private async Task<JsonDocument?> PatroniAsync(Uri url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PeerDeadline);
        try
        {
            // Patroni answers /patroni with 503 on a replica; the body says the role all the same.
            using var response = await clients.CreateClient(RegionHttpClients.Health).GetAsync(url, deadline.Token).ConfigureAwait(false);
            return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false));
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
