using GhidraInsight.Configuration;
using GhidraInsight.Regions.Failover;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Patroni;

/// <summary>
/// A changed <c>primary_region</c> (<c>GHIDRA_REGION_PRIMARY</c>) in PostgreSQL mode, at a restart or a reload, becomes a Patroni
/// switchover to that region, retried until it succeeds or the value changes again. As in embedded mode, the value this
/// region last acted on is remembered in <c>DATA/configured-primary</c>, so only a region whose configuration changed acts, and
/// a first start acts on nothing (Patroni's leader stands).
/// </summary>
internal sealed class PatroniConfiguredPrimary(IOptionsMonitor<RegionOptions> options, string dataDirectory, PatroniSwitchover switchover, TimeProvider time,
    ILogger<PatroniConfiguredPrimary> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var changed = new SemaphoreSlim(0);
        using var subscription = options.OnChange((_, _) => changed.Release());
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await FollowAsync(options.CurrentValue.EffectivePrimary, stoppingToken).ConfigureAwait(false);
                await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until this region has run for <see cref="Settle"/> and knows Patroni's leader (at once on a later reload).</summary>
    private async Task SettledAsync(CancellationToken stoppingToken)
    {
        while (!switchover.LeaderKnown || time.GetElapsedTime(_started) < Settle)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>How long after a start a configured switchover waits, for Patroni's members to come up.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private readonly long _started = time.GetTimestamp();

    private async Task FollowAsync(string configured, CancellationToken stoppingToken)
    {
        var file = Path.Combine(dataDirectory, FailoverCoordinator.ConfiguredPrimaryFile);
        var previous = File.Exists(file) ? (await File.ReadAllTextAsync(file, stoppingToken).ConfigureAwait(false)).Trim() : null;
        if (previous == configured)
        {
            return;
        }

        if (previous is not null)
        {
            Log.ConfiguredPrimaryChanged(logger, previous, configured);
            switchover.Expect(configured, FailoverReasons.Config);
            // Right after a start, Patroni's members are still coming up (and the primary region may be turning synchronous mode
            // back on): a switchover asked for then may leave no member able to lead. Asked once they have had time to.
            await SettledAsync(stoppingToken).ConfigureAwait(false);
            while (options.CurrentValue.EffectivePrimary == configured)
            {
                var result = await switchover.SwitchoverAsync(configured, FailoverReasons.Config, stoppingToken).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    break;
                }

                Log.ConfigSwitchoverRetrying(logger, configured, result.Detail);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ConfigureAwait(false);
            }

            if (options.CurrentValue.EffectivePrimary != configured)
            {
                return;
            }
        }

        Directory.CreateDirectory(dataDirectory);
        await File.WriteAllTextAsync(file, configured + "\n", stoppingToken).ConfigureAwait(false);
    }
}
