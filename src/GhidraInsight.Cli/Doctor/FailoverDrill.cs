using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GhidraInsight.Cli.Remote;
using GhidraInsight.Cli.Up;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Cli.Doctor;

/// <summary>
/// "Test failover regularly", made safe: on a healthy deployment, move the primary to another region and back (or kill the
/// primary's process and have <c>up</c> restart it) while canary annotations are written, then check that every acknowledged
/// canary is in every region, and remove them.
/// </summary>
internal sealed class FailoverDrill(RegionApi api, DeploymentDiagnostics deployment, string? apiKey, Action<string> progress)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(90);

    private readonly List<string> _steps = [];
    private readonly List<string> _problems = [];
    private readonly long _started = Stopwatch.GetTimestamp();

    /// <summary>The region that accepts strong writes now, from the reports.</summary>
    public static RegionDiagnostics? Primary(DeploymentDiagnostics deployment) =>
        deployment.Regions.Values.Select(e => e.Report).FirstOrDefault(r => r?.AcceptingStrongWrites == true);

    /// <summary>
    /// The region to move the primary to: <paramref name="requested"/>, else the data region the primary reaches fastest.
    /// Null with a reason when there is none or the request names one that cannot be.
    /// </summary>
    public static (string? Target, string? Refusal) Target(DeploymentDiagnostics deployment, RegionDiagnostics primary, string? requested)
    {
        var candidates = deployment.Regions.Where(r => r.Key != primary.Region && r.Value.Report?.Storage is not null).Select(r => r.Key).ToList();
        if (requested is not null)
        {
            return !deployment.Regions.ContainsKey(requested) ? (null, $"--to {requested}: no such region (the regions are {string.Join(", ", deployment.Regions.Keys)})")
                : requested == primary.Region ? (null, $"--to {requested}: it is the primary already; name another region")
                : !candidates.Contains(requested) ? (null, $"--to {requested}: it holds no data (a witness) and cannot be primary")
                : (requested, null);
        }

        var nearest = candidates.OrderBy(c => primary.Peers.TryGetValue(c, out var link) ? link.RoundTripMs ?? double.MaxValue : double.MaxValue).FirstOrDefault();
        return nearest is null ? (null, "there is no other region that holds data to move the primary to") : (nearest, null);
    }

    public async Task<DrillReport> RunAsync(RegionDiagnostics primary, string target, bool kill, CancellationToken cancellationToken)
    {
        var drillId = Guid.NewGuid().ToString("n")[..12];
        var dataRegions = deployment.Regions.Where(r => r.Value.Report?.Storage is not null).Select(r => r.Key).ToList();
        var analysisId = await UploadCanaryAnalysisAsync(drillId, cancellationToken);
        if (analysisId is null)
        {
            return Report(kill, primary.Region, null, null, dataRegions, removed: false);
        }

        Step($"canary analysis {analysisId[..12]}… uploaded");
        if (!await EverywhereAsync(dataRegions, primary, $"api/analyses/{analysisId}", HttpStatusCode.OK, cancellationToken))
        {
            _problems.Add($"the canary analysis did not reach every region within {Convergence.TotalSeconds:0} s");
        }

        var writer = new CanaryWriter(api, analysisId, drillId);
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = Task.Run(() => writer.RunAsync(stopWriting.Token), CancellationToken.None);
        string? to = null;
        try
        {
            await Task.Delay(Settle, cancellationToken);
            to = kill ? await KillAndRestartAsync(primary, writer, cancellationToken) : await SwitchAsync(primary.Region, target, cancellationToken);
            await Task.Delay(Settle, cancellationToken);
            if (to is not null && !_problems.Any())
            {
                await SwitchAsync(to, primary.Region, cancellationToken);
            }
            await Task.Delay(Settle, cancellationToken);
        }
        finally
        {
            writer.Stop();
            await writing;
        }

        Step($"{writer.Attempts.Count} canaries written, {writer.Attempts.Count(a => a.Acknowledged)} acknowledged");
        var missing = await MissingCanariesAsync(dataRegions, primary, analysisId, writer, cancellationToken);
        var removed = await RemoveAsync(dataRegions, primary, analysisId, cancellationToken);
        return Report(kill, primary.Region, to, writer, dataRegions, removed, missing);
    }

    private DrillReport Report(bool kill, string from, string? to, CanaryWriter? writer, List<string> regions, bool removed, Dictionary<string, int>? missing = null) =>
        new(kill ? "kill" : "switchover", from, to, [.. _steps], Math.Round(writer?.LongestWithoutAcknowledgement().TotalMilliseconds ?? 0, 1),
            writer?.Attempts.Count ?? 0, writer?.Attempts.Count(a => a.Acknowledged) ?? 0,
            missing ?? regions.ToDictionary(r => r, _ => 0), removed, [.. _problems]);

    private async Task<string?> UploadCanaryAnalysisAsync(string drillId, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new ByteArrayContent(CanaryBinary.For(drillId));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api.BaseUrl, "api/analyze")) { Content = content };
            using var response = await api.SendRawAsync(request, TimeSpan.FromSeconds(60), cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.IsSuccessStatusCode && JsonDocument.Parse(body).RootElement.TryGetProperty("analysis_id", out var id) && id.GetString() is { } analysisId)
            {
                return analysisId;
            }

            _problems.Add($"the canary analysis was not accepted: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            _problems.Add($"the canary analysis could not be uploaded: {exception.Message}");
        }

        return null;
    }

    /// <summary>A safe switchover to <paramref name="to"/>; null when it did not happen (the reason is a problem).</summary>
    private async Task<string?> SwitchAsync(string from, string to, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = await api.PostAsync("/api/failover", new SwitchoverRequest(to), ContractsJsonContext.Default.SwitchoverRequest,
            ContractsJsonContext.Default.SwitchoverResult, cancellationToken);
        if (!answer.Succeeded)
        {
            _problems.Add($"the switchover {from} → {to} did not happen: {answer.Problem?.Detail ?? answer.Failure}");
            return null;
        }

        Step($"switchover {from} → {to} done in {Seconds(Stopwatch.GetElapsedTime(started))}");
        return to;
    }

    /// <summary>
    /// SIGKILL to the primary's process, wait for a strong write to be acknowledged again (a new primary), then ask <c>up</c> to
    /// restart what exited (SIGUSR1) and wait until the region answers again. The new primary's name, or null.
    /// </summary>
    private async Task<string?> KillAndRestartAsync(RegionDiagnostics primary, CanaryWriter writer, CancellationToken cancellationToken)
    {
        var killedAt = Stopwatch.GetTimestamp();
        using (var process = Process.GetProcessById(primary.ProcessId))
        {
            process.Kill();
        }

        Step($"{primary.Region}'s process ({primary.ProcessId}) killed");
        if (!await EventuallyAsync(() => Task.FromResult(writer.AcknowledgedSince(killedAt)), Recovery, cancellationToken))
        {
            _problems.Add($"no strong write was acknowledged within {Recovery.TotalSeconds:0} s of killing the primary");
        }
        else
        {
            Step($"strong writes acknowledged again {Seconds(Stopwatch.GetElapsedTime(killedAt))} after the kill");
        }

        Signals.RestartExited(primary.UpProcessId!.Value);
        var endpoint = primary.Endpoints[primary.Region];
        using var region = new RegionApi(endpoint, apiKey, TimeSpan.FromSeconds(5));
        if (!await EventuallyAsync(async () => (await region.GetAsync("/health", ContractsJsonContext.Default.HealthReport, cancellationToken)).Value is { Status: not HealthReport.Unhealthy },
                Recovery, cancellationToken))
        {
            _problems.Add($"{primary.Region} did not come back within {Recovery.TotalSeconds:0} s of asking up to restart it");
            return null;
        }

        Step($"{primary.Region} restarted by up and serving");
        var now = await api.GetAsync("/api/diagnostics", ContractsJsonContext.Default.DeploymentDiagnostics, cancellationToken);
        var newPrimary = now.Value is { } after ? Primary(after)?.Region : null;
        if (newPrimary is null || newPrimary == primary.Region)
        {
            _problems.Add(newPrimary is null ? "no region accepts strong writes after the restart" : $"{primary.Region} was primary again without a failover being seen");
            return newPrimary;
        }

        Step($"{newPrimary} took over as primary");
        return newPrimary;
    }

    private async Task<Dictionary<string, int>> MissingCanariesAsync(List<string> regions, RegionDiagnostics primary, string analysisId, CanaryWriter writer,
        CancellationToken cancellationToken)
    {
        var required = writer.Attempts.Where(a => a.Acknowledged).ToDictionary(a => a.Address, a => a.Name, StringComparer.Ordinal);
        var missing = regions.ToDictionary(r => r, _ => required.Count);
        await EventuallyAsync(async () =>
        {
            foreach (var region in regions.Where(r => missing[r] > 0))
            {
                using var at = new RegionApi(primary.Endpoints[region], apiKey, TimeSpan.FromSeconds(10));
                var page = await at.GetAsync($"api/analyses/{analysisId}/annotations?limit={CanaryWriter.Limit}", ContractsJsonContext.Default.AnnotationList, cancellationToken);
                if (page.Value is { } list)
                {
                    var held = list.Annotations.ToDictionary(a => a.Address, a => a.Name, StringComparer.Ordinal);
                    missing[region] = required.Count(r => !held.TryGetValue(r.Key, out var name) || name != r.Value);
                }
            }
            return missing.Values.All(m => m == 0);
        }, Convergence, cancellationToken);
        foreach (var (region, count) in missing.Where(m => m.Value > 0))
        {
            _problems.Add($"{region} lacks {count} of the {required.Count} acknowledged canaries");
        }

        if (missing.Values.All(m => m == 0))
        {
            Step($"every acknowledged canary is in every region ({regions.Count} regions)");
        }

        return missing;
    }

    private async Task<bool> RemoveAsync(List<string> regions, RegionDiagnostics primary, string analysisId, CancellationToken cancellationToken)
    {
        // The delete is a strong write: retried while a primary settles after the drill.
        var deleted = await EventuallyAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(api.BaseUrl, $"api/analyses/{analysisId}"));
            using var response = await api.SendRawAsync(request, TimeSpan.FromSeconds(10), cancellationToken);
            return response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound;
        }, Convergence, cancellationToken);
        if (!deleted || !await EverywhereAsync(regions, primary, $"api/analyses/{analysisId}", HttpStatusCode.NotFound, cancellationToken))
        {
            _problems.Add($"the canaries (analysis {analysisId}) could not be removed from every region; delete it with DELETE /api/analyses/{analysisId}");
            return false;
        }

        Step("canaries removed from every region");
        return true;
    }

    /// <summary>Waits until <paramref name="path"/> answers <paramref name="status"/> in every region.</summary>
    private async Task<bool> EverywhereAsync(List<string> regions, RegionDiagnostics primary, string path, HttpStatusCode status, CancellationToken cancellationToken) =>
        await EventuallyAsync(async () =>
        {
            foreach (var region in regions)
            {
                using var at = new RegionApi(primary.Endpoints[region], apiKey, TimeSpan.FromSeconds(10));
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(at.BaseUrl, path));
                using var response = await at.SendRawAsync(request, TimeSpan.FromSeconds(10), cancellationToken);
                if (response.StatusCode != status)
                {
                    return false;
                }
            }
            return true;
        }, Convergence, cancellationToken);

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not yet: a region restarting or a request timing out.
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private void Step(string what)
    {
        var line = $"{Seconds(Stopwatch.GetElapsedTime(_started)),7}  {what}";
        _steps.Add(line);
        progress(line);
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
