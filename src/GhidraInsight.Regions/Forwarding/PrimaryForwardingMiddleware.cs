using GhidraInsight.Configuration;
using GhidraInsight.Http.Problems;
using GhidraInsight.Regions.Fencing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace GhidraInsight.Regions.Forwarding;

/// <summary>
/// Strong writes (<see cref="RequiresPrimary"/> endpoints): at the primary, accepted only while it may
/// (<see cref="PrimaryRole.CanAcceptStrongWrites(out long, out string)"/>), else 503 with Retry-After, and acknowledged only
/// through the <see cref="StrongWriteGate"/>. Elsewhere forwarded to the primary (<see cref="MultiRegionManager.RouteToPrimaryAsync"/>)
/// with the caller's own credentials, and its answer relayed; <c>X-Ghidra-Accepted-By</c> names the region that accepted it.
/// </summary>
internal sealed class PrimaryForwardingMiddleware(RequestDelegate next, IOptionsMonitor<RegionOptions> options, MultiRegionManager manager, PrimaryRole role,
    StrongWriteGate gate)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var current = manager.CurrentRegion;
        var primary = manager.PrimaryRegion;
        if (!options.CurrentValue.Enabled || context.GetEndpoint()?.Metadata.GetMetadata<RequiresPrimary>() is null)
        {
            context.Response.Headers[ForwardingHeaders.AcceptedBy] = current;
            await next(context);
            return;
        }

        if (manager.IsCurrentRegionPrimary)
        {
            if (!role.CanAcceptStrongWrites(out var epoch, out var reason))
            {
                context.Response.Headers.RetryAfter = "1";
                context.Response.Headers[ForwardingHeaders.WriteTaken] = "false";
                await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
                    "The primary region cannot accept strong writes right now; the write was not accepted.", reason);
                return;
            }

            context.Response.Headers[ForwardingHeaders.AcceptedBy] = current;
            await gate.RunAsync(context, next, epoch);
            return;
        }

        if (context.Request.Headers.ContainsKey(ForwardingHeaders.ForwardedBy))
        {
            // Two regions that each think the other is primary: refuse rather than loop.
            context.Response.Headers[ForwardingHeaders.WriteTaken] = "false";
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
                "The primary region is not known consistently.", $"{current} got a forwarded write but believes {primary} is primary.");
            return;
        }

        if (primary.Length == 0)
        {
            context.Response.Headers.RetryAfter = "1";
            context.Response.Headers[ForwardingHeaders.WriteTaken] = "false";
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
                "No primary region has been elected yet; the write was not accepted.", "The regions elect one as soon as a majority of them is up.");
            return;
        }

        if (manager.PrimaryEndpoint is null)
        {
            context.Response.Headers[ForwardingHeaders.WriteTaken] = "false";
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable, "The primary region has no endpoint.", primary);
            return;
        }

        var error = await manager.RouteToPrimaryAsync(context);
        if (error != ForwarderError.None && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var exception = context.GetForwarderErrorFeature()?.Exception;
            // Only a connection that never opened proves the primary did not get the write; anything later may have stored it.
            var notSent = exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
            context.Response.Clear();
            context.Response.Headers.RetryAfter = "2";
            if (notSent)
            {
                context.Response.Headers[ForwardingHeaders.WriteTaken] = "false";
            }
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
                notSent ? "The primary region does not answer; the write was not accepted." : "The primary region did not answer in full; the write may or may not have been stored.",
                $"{primary} at {manager.PrimaryEndpoint}: {exception?.Message ?? error.ToString()}");
        }
    }
}
