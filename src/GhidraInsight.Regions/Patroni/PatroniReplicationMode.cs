using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Fencing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Patroni;

/// <summary>
/// <c>region.replication_mode</c> in PostgreSQL mode is Patroni's <c>synchronous_mode</c>: <c>sync</c> makes every commit wait
/// for a synchronous standby, so an acknowledged write survives the loss of the primary (Patroni then promotes only that
/// standby). The region whose database leads keeps Patroni's dynamic configuration in line with its own: when it becomes the
/// primary, when its configuration is reloaded, and every <see cref="Recheck"/> in case someone changed Patroni by hand
/// (<c>GET</c>/<c>PATCH /config</c> on its own Patroni).
/// </summary>
internal sealed class PatroniReplicationMode(IOptionsMonitor<RegionOptions> options, Uri patroni, PrimaryRole role, HttpClient http, TimeProvider time,
    ILogger<PatroniReplicationMode> logger) : BackgroundService
{
    /// <summary>How often the leading region checks Patroni's setting even when nothing changed here.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changed = new SemaphoreSlim(0);
        using var subscription = options.OnChange((_, _) => changed.Release());
        (ReplicationMode Mode, long Epoch)? applied = null;
        var checkedAt = 0L;
        var failing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var mode = options.CurrentValue.ReplicationMode;
                var due = applied != (mode, role.Epoch) || time.GetElapsedTime(checkedAt) >= Recheck;
                if (role.IsCurrentRegionPrimary && role.CanAcceptStrongWrites(out _) && due)
                {
                    try
                    {
                        await ApplyAsync(mode, stoppingToken).ConfigureAwait(false);
                        applied = (mode, role.Epoch);
                        checkedAt = time.GetTimestamp();
                        failing = false;
                    }
                    catch (Exception exception) when (PatroniPrimary.Unanswered(exception, stoppingToken))
                    {
                        if (!failing)
                        {
                            failing = true;
                            Log.PatroniModeNotApplied(logger, Setting(mode), patroni.ToString(), exception.Message);
                        }
                    }
                }

                await changed.WaitAsync(Tick, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads Patroni's <c>synchronous_mode</c> and changes it when it differs from <paramref name="mode"/>.</summary>
    internal async Task ApplyAsync(ReplicationMode mode, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PatroniPrimary.Lease);
        var wanted = mode == ReplicationMode.Sync;
        await using (var body = await http.GetStreamAsync(new Uri(patroni, "config"), timeout.Token).ConfigureAwait(false))
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
            var current = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("synchronous_mode", out var value)
                && value.ValueKind == JsonValueKind.True;
            if (current == wanted)
            {
                return;
            }
        }

        // Patroni wants a Content-Length (no chunked body).
        using var patch = new StringContent(new JsonObject { ["synchronous_mode"] = wanted }.ToJsonString(), Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(patroni, "config")) { Content = patch };
        using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var said = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            throw new InvalidOperationException($"Patroni answered {(int)response.StatusCode}: {said.Trim()}");
        }

        Log.PatroniModeApplied(logger, Setting(mode), wanted);
    }

    private static string Setting(ReplicationMode mode) => mode == ReplicationMode.Sync ? "sync" : "async";
}
