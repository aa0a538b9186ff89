using GhidraInsight.Configuration;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Server.Problems;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Server.Regions;

/// <summary>
/// In <c>replication_mode: sync</c>, holds the primary's answer to a strong write until at least one other region has stored
/// it durably (acknowledged the outbox up to the write). A write not confirmed within the cross-region timeout is answered
/// 503 NOT_REPLICATED: it is stored here and still replicates, but it was not acknowledged. In <c>async</c> mode it only runs the request.
/// </summary>
internal sealed class SyncReplicationGate(GhidraOptions options, IAnalysisStore store, ReplicationService replication)
{
    public async Task RunAsync(HttpContext context, RequestDelegate next)
    {
        if (options.Region.ReplicationMode != ReplicationMode.Sync)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var held = new MemoryStream();
        context.Response.Body = held;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode is >= 200 and < 300)
        {
            // The newest entry is this write's or a later one; either way it covers this write.
            var sequence = await store.GetLastOutboxSequenceAsync(CancellationToken.None);
            var timeout = TimeSpan.FromSeconds(Math.Max(1, options.Region.CrossRegionTimeoutSeconds));
            if (!await replication.WaitForAnyAcknowledgementAsync(sequence, timeout, context.RequestAborted))
            {
                context.Response.Headers.ETag = default;
                context.Response.Headers.Location = default;
                context.Response.ContentLength = null;
                await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.NotReplicated,
                    "The write is stored at the primary but no other region confirmed it in time; it is not acknowledged.",
                    $"replication_mode is sync; waited {timeout.TotalSeconds:F0} s for one of {string.Join(", ", replication.Targets)}.");
                return;
            }
        }

        held.Position = 0;
        await held.CopyToAsync(original, context.RequestAborted);
    }
}
