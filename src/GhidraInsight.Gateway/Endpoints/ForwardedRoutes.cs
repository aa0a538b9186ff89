using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Forwarding;
using GhidraInsight.Http.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Gateway.Endpoints;

/// <summary>
/// Everything that is not the gateway's own goes to <see cref="GatewayForwarder"/>, through routes that carry the role the
/// regions ask for the same request (reads: read; uploads: analyze; deletions and failover: admin; every other write: annotate).
/// With API keys configured, the gateway refuses a missing, unknown or too weak key itself, even when the regions behind it run
/// without keys on loopback; the key then passes through, and a region that has keys checks it again.
/// </summary>
internal static class ForwardedRoutes
{
    private const string Anything = "{**path}";

    public static void MapForwarding(this IEndpointRouteBuilder app, GatewayForwarder forwarder)
    {
        RequestDelegate forward = context =>
        {
            // The regions' answers are relayed as they are; status-code pages are for the gateway's own.
            if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return forwarder.InvokeAsync(context);
        };
        app.MapMethods(Anything, [HttpMethods.Get, HttpMethods.Head, HttpMethods.Options], forward).WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapPost("/api/analyze", forward).WithMetadata(new RequiredRole(ApiRole.Analyze));
        app.MapDelete(Anything, forward).WithMetadata(new RequiredRole(ApiRole.Admin));
        app.MapPost("/api/failover/" + Anything, forward).WithMetadata(new RequiredRole(ApiRole.Admin));
        app.MapFallback(Anything, forward).WithMetadata(new RequiredRole(ApiRole.Annotate));
    }
}
