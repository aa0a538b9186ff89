using GhidraInsight.Regions.Health;
using GhidraInsight.Regions.Replication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions;

/// <summary>Runs the health monitor and the replicators for the life of the host (registered only when regions are enabled).</summary>
internal sealed class RegionsBackgroundService(RegionHealthMonitor monitor, ReplicationService replication, ILogger<RegionsBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Yield so host start-up is not held by the first round of probes.
        await Task.Yield();
        await Task.WhenAll(RunHealthAsync(stoppingToken), replication.RunAsync(stoppingToken)).ConfigureAwait(false);
    }

    private async Task RunHealthAsync(CancellationToken stoppingToken)
    {
        try
        {
            await monitor.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            Log.HealthLoopCrashed(logger, exception);
        }
    }
}
