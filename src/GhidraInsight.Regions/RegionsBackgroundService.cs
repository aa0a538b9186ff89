using Microsoft.Extensions.Hosting;

namespace GhidraInsight.Regions;

/// <summary>Starts this region's part of the deployment through <see cref="MultiRegionManager"/> and runs it for the life of the host.</summary>
internal sealed class RegionsBackgroundService(MultiRegionManager manager) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Yield so host start-up is not held by the first round of probes.
        await Task.Yield();
        try
        {
            await manager.InitializeAsync(stoppingToken).ConfigureAwait(false);
            await manager.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
