using GhidraInsight.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Audit;

/// <summary>Removes audit entries older than <c>storage.audit_retention_days</c>, every <see cref="Interval"/>, in short batches.</summary>
internal sealed class AuditPruner(IAuditTrail trail, TimeSpan retention, TimeProvider time, ILogger<AuditPruner> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private const int BatchSize = 1000;

    /// <summary>Prunes what is past the retention now; returns how many entries went.</summary>
    internal async Task<int> PruneOnceAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - retention;
        var total = 0;
        int removed;
        do
        {
            removed = await trail.PruneAsync(before, BatchSize, cancellationToken).ConfigureAwait(false);
            total += removed;
        }
        while (removed == BatchSize);
        if (total > 0)
        {
            Log.AuditPruned(logger, total, before);
        }
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                Log.AuditPruneFailed(logger, exception.Message);
            }
            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
