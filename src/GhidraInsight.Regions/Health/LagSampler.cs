using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Dashboard;
using GhidraInsight.Regions.Replication;
using Microsoft.Extensions.Hosting;

namespace GhidraInsight.Regions.Health;

/// <summary>Records this region's replication lag to each target once a second, for the dashboard's lag chart.</summary>
internal sealed class LagSampler(MultiRegionManager manager, ReplicationService replication, LagHistory history, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            try
            {
                var status = await replication.StatusAsync(stoppingToken).ConfigureAwait(false);
                history.Record(status.ToDictionary(pair => LagSample.Link(manager.CurrentRegion, pair.Key), pair => Math.Round(pair.Value.LagMs, 3), StringComparer.Ordinal));
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The store is failing: /health says so; the chart shows a gap.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
