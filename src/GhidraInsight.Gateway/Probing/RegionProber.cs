using System.Net.Http.Json;
using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Destinations;
using GhidraInsight.Gateway.Metrics;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Dashboard;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Gateway.Probing;

/// <summary>
/// Active health checks: every <c>gateway.probe_interval_ms</c>, <c>GET /health</c> of every region in parallel (a probe may
/// take at most the interval, between one and five seconds). A 200 with the region's own name keeps or brings it in; anything else takes it
/// out at once. The reports also say who is primary. While strong writes are being refused (<see cref="Hurry"/>), every
/// <see cref="HurriedInterval"/> instead, so a new primary is learned from the first region that reports it.
/// </summary>
internal sealed class RegionProber(RegionTable table, IOptionsMonitor<GatewayOptions> options, HttpClient http, GatewayMetrics metrics, LagHistory history,
    TimeProvider time, ILogger<RegionProber> logger) : BackgroundService
{
    /// <summary>A region slower than this to answer its health check is as good as down (and a start never waits longer).</summary>
    private const int MaxProbeMs = 5000;

    /// <summary>How often regions are probed while <see cref="Hurry"/> asks for it.</summary>
    internal static readonly TimeSpan HurriedInterval = TimeSpan.FromMilliseconds(100);

    private (string? Primary, long Epoch) _announced;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _hurryUntil;

    /// <summary>
    /// Probes every region now and then every <see cref="HurriedInterval"/> for <paramref name="during"/> (a strong write was
    /// refused: the gateway wants to learn a new primary as soon as a region reports one, not at the next interval). Calls from
    /// many requests share the same rounds.
    /// </summary>
    public void Hurry(TimeSpan during)
    {
        var until = time.GetTimestamp() + (long)(during.TotalSeconds * time.TimestampFrequency);
        for (var seen = Interlocked.Read(ref _hurryUntil); seen < until; seen = Interlocked.Read(ref _hurryUntil))
        {
            if (Interlocked.CompareExchange(ref _hurryUntil, until, seen) == seen)
            {
                Volatile.Read(ref _wake).TrySetResult();
                return;
            }
        }
    }

    private bool Hurrying => time.GetTimestamp() < Interlocked.Read(ref _hurryUntil);

    /// <summary>Probes every region once, now.</summary>
    public async Task ProbeAllAsync(CancellationToken cancellationToken)
    {
        var gateway = options.CurrentValue;
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(gateway.ProbeIntervalMs, 1000, MaxProbeMs));
        await Task.WhenAll(table.Regions.Select(region => ProbeAsync(region, timeout, gateway.SuccessThreshold, cancellationToken))).ConfigureAwait(false);
        history.Record(table.ReplicationLags());
        var primary = table.Primary();
        if (primary.Primary is { } name && primary != _announced)
        {
            _announced = primary;
            Log.PrimaryIs(logger, name, primary.Epoch);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastRound = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The host probed once before it started listening; the loop waits an interval first (or less, when hurried).
                var interval = TimeSpan.FromMilliseconds(options.CurrentValue.ProbeIntervalMs);
                var wake = Volatile.Read(ref _wake).Task;
                await Task.WhenAny(Task.Delay(Hurrying && interval > HurriedInterval ? HurriedInterval : interval, time, stoppingToken), wake).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                if (wake.IsCompleted)
                {
                    Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    // Never more often than the hurried interval, however many requests ask.
                    if (HurriedInterval - time.GetElapsedTime(lastRound) is var rest && rest > TimeSpan.Zero)
                    {
                        await Task.Delay(rest, time, stoppingToken).ConfigureAwait(false);
                    }
                }

                lastRound = time.GetTimestamp();
                await ProbeAllAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.ProbeLoopCrashed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ProbeAsync(GatewayRegion region, TimeSpan timeout, int successThreshold, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var started = time.GetTimestamp();
        string failure;
        try
        {
            using var response = await http.GetAsync(new Uri(region.Endpoint, "/health"), deadline.Token).ConfigureAwait(false);
            var latency = time.GetElapsedTime(started).TotalMilliseconds;
            if (response.IsSuccessStatusCode
                && await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.HealthReport, deadline.Token).ConfigureAwait(false) is { } report)
            {
                if (report.Region == region.Name)
                {
                    if (region.ProbeSucceeded(report, latency, time.GetUtcNow(), successThreshold))
                    {
                        Log.RegionIn(logger, region.Name, latency);
                    }

                    metrics.Probed(region.Name, healthy: true);
                    return;
                }

                failure = $"its endpoint answers as region '{report.Region}'";
            }
            else
            {
                failure = $"/health answered HTTP {(int)response.StatusCode}";
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = $"/health did not answer within {timeout.TotalSeconds:0.#} s";
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or IOException or NotSupportedException)
        {
            failure = $"/health: {exception.Message}";
        }

        metrics.Probed(region.Name, healthy: false);
        if (region.TakeOut(failure, time.GetUtcNow()))
        {
            Log.RegionOut(logger, region.Name, failure);
        }
    }
}
