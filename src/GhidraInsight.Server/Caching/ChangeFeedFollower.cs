using GhidraInsight.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Caching;

/// <summary>
/// Cache invalidation in PostgreSQL mode: every 250 ms, the changes this region's database received since the last look (from
/// any process of any region: the feed is written with the data and read from the local copy) leave the cache. A failed look
/// is tried again at the next tick, from the same place.
/// </summary>
internal sealed class ChangeFeedFollower(IChangeFeed changes, AnalysisCache cache, TimeProvider time, ILogger<ChangeFeedFollower> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private long? _seen;

    /// <summary>
    /// Takes where the feed stands, before the region serves anything: the cache is empty then, so nothing earlier matters, and
    /// every change after it will be seen.
    /// </summary>
    public async Task StartAtHeadAsync(CancellationToken cancellationToken) =>
        _seen = await changes.GetLastChangeSequenceAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                _seen ??= await changes.GetLastChangeSequenceAsync(stoppingToken).ConfigureAwait(false);
                _seen = await DrainAsync(_seen.Value, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.ChangeFeedUnreadable(logger, exception.Message);
            }
        }
    }

    private async Task<long> DrainAsync(long after, CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await changes.ReadChangesAsync(after, 500, cancellationToken).ConfigureAwait(false);
            foreach (var change in batch)
            {
                var slash = change.Key.IndexOf('/', StringComparison.Ordinal);
                cache.Invalidate(slash < 0 ? change.Key : change.Key[..slash]);
                after = change.Sequence;
            }

            if (batch.Count < 500)
            {
                return after;
            }
        }
    }
}
