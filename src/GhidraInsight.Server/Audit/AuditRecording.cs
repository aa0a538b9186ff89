using GhidraInsight.Configuration;
using GhidraInsight.Http.Audit;
using GhidraInsight.Http.Security;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Regions.Forwarding;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Audit;

/// <summary>
/// Records every strong write (an endpoint that requires the primary) and every admin call in the audit trail, with the API key's
/// name, once the answer has gone out (handed to <see cref="AuditWriter"/>, so recording adds no latency and holds no
/// connection), in the region that carried it out: a request a replica
/// forwarded is recorded by the primary that took it. A known key's refusals count too (403); calls without a valid key do not.
/// </summary>
internal static class AuditRecording
{
    public static void UseAuditRecording(this WebApplication app) => app.Use(async (context, next) =>
    {
        var endpoint = context.GetEndpoint();
        if (!IsAudited(endpoint))
        {
            await next(context);
            return;
        }

        var region = context.RequestServices.GetRequiredService<MultiRegionManager>().CurrentRegion;
        // The entry is made as the answer starts (its status is settled then, and calls answered one after the other list in
        // that order), and written once the answer has gone out; an answer that never started is recorded as it ends.
        AuditEntry? entry = null;
        context.Response.OnStarting(() =>
        {
            entry = Entry(context, endpoint!, region);
            return Task.CompletedTask;
        });
        // Queued, not written here: Kestrel reads the next request on this connection only once these callbacks are done.
        context.Response.OnCompleted(() => (entry ?? Entry(context, endpoint!, region)) is { } made
            ? context.RequestServices.GetRequiredService<AuditWriter>().RecordAsync(made)
            : Task.CompletedTask);
        await next(context);
    });

    /// <summary>Strong writes and admin calls; reads and uploads (whose result depends only on their bytes) are not recorded.</summary>
    internal static bool IsAudited(Endpoint? endpoint) =>
        endpoint is not null
        && (endpoint.Metadata.GetMetadata<RequiresPrimary>() is not null || endpoint.Metadata.GetMetadata<RequiredRole>() is { Role: ApiRole.Admin });

    /// <summary>The entry for this answer, or null when a replica forwarded the call (the primary records what it did with it).</summary>
    private static AuditEntry? Entry(HttpContext context, Endpoint endpoint, string region)
    {
        if (context.Response.Headers.TryGetValue(ForwardingHeaders.AcceptedBy, out var acceptedBy) && acceptedBy.ToString() != region)
        {
            return null;
        }
        var status = context.Response.StatusCode;
        // Without a valid key nothing is recorded: anyone who can reach the port could otherwise fill every region's trail
        // (the refusal is counted in the request metrics). A known key's refusals (403) are recorded.
        if (status == StatusCodes.Status401Unauthorized && Caller.TryOf(context) is null)
        {
            return null;
        }
        var key = Caller.TryOf(context)?.Name ?? Caller.Anonymous.Name;
        var action = $"{context.Request.Method} {(endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.ToString()}";
        return AuditEntry.Create(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), region, key, action, AuditTarget.Of(context), status);
    }
}
