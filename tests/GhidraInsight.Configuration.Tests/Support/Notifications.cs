using Microsoft.Extensions.Primitives;

namespace GhidraInsight.Configuration.Tests.Support;

/// <summary>Waits for a notification with a deadline, so a test never sleeps to synchronise.</summary>
internal static class Notifications
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Completes when <paramref name="token"/> fires.</summary>
    public static Task WhenFired(IChangeToken token)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.RegisterChangeCallback(_ => fired.TrySetResult(), null);
        return fired.Task.WaitAsync(Deadline);
    }

    /// <summary>Completes with the first reload that <paramref name="trigger"/> started and <paramref name="matches"/>.</summary>
    public static Task<ReloadResult> NextReload(GhidraConfiguration configuration, ReloadTrigger trigger, Func<ReloadResult, bool>? matches = null)
    {
        var reloaded = new TaskCompletionSource<ReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        configuration.Reloaded += (_, result) =>
        {
            if (result.Trigger == trigger && (matches?.Invoke(result) ?? true))
            {
                reloaded.TrySetResult(result);
            }
        };
        return reloaded.Task.WaitAsync(Deadline);
    }
}
