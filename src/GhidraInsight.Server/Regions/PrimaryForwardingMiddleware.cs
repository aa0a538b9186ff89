using GhidraInsight.Configuration;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Server.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace GhidraInsight.Server.Regions;

/// <summary>
/// Strong writes (<see cref="StrongWrite"/> endpoints): at the primary, accepted only while it may (<see cref="PrimaryRole.CanAcceptStrongWrites(out long, out string)"/>),
/// else 503 with Retry-After, and acknowledged only through the <see cref="StrongWriteGate"/>.
/// Elsewhere forwarded to the primary with the caller's own credentials, and its answer relayed; <c>X-Ghidra-Accepted-By</c>
/// names the region that accepted the write.
/// </summary>
internal sealed class PrimaryForwardingMiddleware(RequestDelegate next, GhidraOptions options, MultiRegionManager manager, PrimaryRole role, StrongWriteGate gate)
{
    public const string ForwardedByHeader = "X-Ghidra-Forwarded-By";
    public const string AcceptedByHeader = "X-Ghidra-Accepted-By";
    private static readonly string[] RequestHeaders = ["Content-Type", "If-Match", "If-None-Match", "X-API-Key", "Authorization"];
    private static readonly string[] ResponseHeaders = ["ETag", "Retry-After", "Location"];

    public async Task InvokeAsync(HttpContext context)
    {
        var current = manager.CurrentRegion;
        var primary = manager.PrimaryRegion;
        if (!options.Region.Enabled || context.GetEndpoint()?.Metadata.GetMetadata<StrongWrite>() is null)
        {
            context.Response.Headers[AcceptedByHeader] = current;
            await next(context);
            return;
        }
        if (manager.IsCurrentRegionPrimary)
        {
            if (!role.CanAcceptStrongWrites(out var epoch, out var reason))
            {
                context.Response.Headers.RetryAfter = "1";
                await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
                    "The primary region cannot accept strong writes right now; the write was not accepted.", reason);
                return;
            }
            context.Response.Headers[AcceptedByHeader] = current;
            await gate.RunAsync(context, next, epoch);
            return;
        }
        if (context.Request.Headers.ContainsKey(ForwardedByHeader))
        {
            // Two regions that each think the other is primary: refuse rather than loop.
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
                "The primary region is not known consistently.", $"{current} got a forwarded write but believes {primary} is primary.");
            return;
        }
        if (primary.Length == 0)
        {
            context.Response.Headers.RetryAfter = "1";
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
                "No primary region has been elected yet; the write was not accepted.", "The regions elect one as soon as a majority of them is up.");
            return;
        }
        if (manager.PrimaryEndpoint is null)
        {
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable, "The primary region has no endpoint.", primary);
            return;
        }
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(context.Request.GetEncodedPathAndQuery(), UriKind.Relative));
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            forward.Content = new StreamContent(context.Request.Body);
        }
        foreach (var name in RequestHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value) && !forward.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)value!))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)value!);
            }
        }
        forward.Headers.TryAddWithoutValidation(ForwardedByHeader, current);
        HttpResponseMessage answer;
        try
        {
            answer = await manager.RouteToPrimaryAsync(forward, context.RequestAborted);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            context.Response.Headers.RetryAfter = "2";
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
                "The primary region does not answer; the write was not accepted.", $"{primary} at {manager.PrimaryEndpoint}: {ex.Message}");
            return;
        }
        using (answer)
        {
            context.Response.StatusCode = (int)answer.StatusCode;
            foreach (var name in ResponseHeaders)
            {
                if (answer.Headers.TryGetValues(name, out var values))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }
            context.Response.Headers[AcceptedByHeader] = answer.Headers.TryGetValues(AcceptedByHeader, out var accepted) ? accepted.First() : primary;
            if (answer.Content.Headers.ContentType is { } type)
            {
                context.Response.ContentType = type.ToString();
            }
            await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
