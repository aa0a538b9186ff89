using GhidraInsight.Configuration;
using GhidraInsight.Http.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Fencing;

/// <summary>
/// Runs a strong write the primary admitted under an epoch and holds its answer until it may be given:
/// <list type="bullet">
/// <item>the request's <see cref="WriteEpoch"/> is the admitting epoch, which the endpoint passes to the store, even if a newer
/// epoch is applied while it commits;</item>
/// <item>after the write is stored the region must still be the confirmed primary of that epoch, else 503 PRIMARY_UNAVAILABLE:
/// the write is kept and replicates (a newer epoch's write of the same key turns it into a conflict record), but it is not
/// acknowledged, so no two regions ever acknowledge strong writes of one epoch;</item>
/// <item>in <c>replication_mode: sync</c>, at least one other region must have stored it within the cross-region timeout,
/// else 503 NOT_REPLICATED. When the database replicates (PostgreSQL mode) its synchronous commit is that wait.</item>
/// </list>
/// </summary>
internal sealed class StrongWriteGate(IOptionsMonitor<RegionOptions> options, PrimaryRole role, MultiRegionManager manager, bool databaseReplicates = false)
{
    public async Task RunAsync(HttpContext context, RequestDelegate next, long epoch)
    {
        context.RequestServices.GetRequiredService<WriteEpoch>().Admit(epoch);
        var original = context.Response.Body;
        using var held = new MemoryStream();
        context.Response.Body = held;
        // When the database replicates, a write is given up on as soon as this region stops being the primary of its epoch
        // (Patroni has not confirmed its database leads for the lease: it lost the lead, or its Patroni is gone), not when the
        // store's own deadline ends, so the client can be sent on. (Our Raft lease in embedded mode may lapse and be renewed
        // under load while a write runs; there the check stays at the end.)
        var aborted = context.RequestAborted;
        using var roleEnded = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        using var watch = !databaseReplicates ? null : new Timer(static state =>
        {
            var (primary, epoch, ended) = ((PrimaryRole, long, CancellationTokenSource))state!;
            try
            {
                if (!primary.StillAccepts(epoch, out _))
                {
                    ended.Cancel();
                }
            }
            catch (ObjectDisposedException)
            {
            }
        }, (role, epoch, roleEnded), RoleCheck, RoleCheck);
        context.RequestAborted = roleEnded.Token;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (roleEnded.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            context.Response.Body = original;
            role.StillAccepts(epoch, out var ended);
            await RefuseAsync(context, ProblemCodes.PrimaryUnavailable,
                "The primary role ended while the write was being stored; it may still be stored and replicate, but it is not acknowledged.", ended);
            return;
        }
        finally
        {
            context.RequestAborted = aborted;
            context.Response.Body = original;
        }

        if (context.Response.StatusCode is >= 200 and < 300)
        {
            if (!role.StillAccepts(epoch, out var reason))
            {
                await RefuseAsync(context, ProblemCodes.PrimaryUnavailable,
                    "The primary role ended while the write was being stored; it is kept and replicates, but it is not acknowledged.", reason);
                return;
            }

            if (options.CurrentValue.ReplicationMode == ReplicationMode.Sync && !databaseReplicates && !await manager.ReplicateToAllAsync(CrossRegionTimeout, context.RequestAborted))
            {
                await RefuseAsync(context, ProblemCodes.NotReplicated,
                    "The write is stored at the primary but no other region confirmed it in time; it is not acknowledged.",
                    $"replication_mode is sync; waited {CrossRegionTimeout.TotalSeconds:F0} s for one of {string.Join(", ", manager.ReplicationTargets)}.");
                return;
            }
        }

        held.Position = 0;
        await held.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>How often a strong write in progress checks that this region is still the primary of its epoch.</summary>
    private static readonly TimeSpan RoleCheck = TimeSpan.FromMilliseconds(100);

    private TimeSpan CrossRegionTimeout => TimeSpan.FromSeconds(Math.Max(1, options.CurrentValue.CrossRegionTimeoutSeconds));

    private static Task RefuseAsync(HttpContext context, string code, string title, string detail)
    {
        context.Response.Headers.ETag = default;
        context.Response.Headers.Location = default;
        context.Response.Headers.RetryAfter = "1";
        context.Response.ContentLength = null;
        return Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, code, title, detail);
    }
}
