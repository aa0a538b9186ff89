using GhidraInsight.Regions.Http;
using GhidraInsight.Regions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// Guards the Raft endpoint: a request reaches the consensus handler only when another member signed it with the region
/// secret (the same HMAC, timestamp window and nonce replay guard as replication); anything else gets 401 and is not read.
/// </summary>
internal sealed class ConsensusAuthenticationMiddleware(RequestDelegate next, RegionRequestVerifier verifier, ILogger<ConsensusAuthenticationMiddleware> logger)
{
    /// <summary>Where DotNext's HTTP transport sends Raft messages.</summary>
    public static readonly PathString ConsensusPath = "/cluster-consensus";

    /// <summary>Raft messages here are small (the state is a few hundred bytes); anything bigger is refused unread.</summary>
    private const int MaxMessageBytes = 4 << 20;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(ConsensusPath))
        {
            await next(context);
            return;
        }

        if (context.Request.ContentLength > MaxMessageBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var body = await BoundedBody.ReadAsync(context.Request.Body, MaxMessageBytes, context.RequestAborted);
        if (body is null)
        {
            // Stopped at the limit: an unauthenticated sender cannot make this region buffer more.
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var result = verifier.Verify(context.Request.Headers, context.Request.Method, context.Request.GetEncodedPathAndQuery(), body);
        if (!result.Succeeded)
        {
            Log.ConsensusRefused(logger, result.Code ?? "unknown", context.Connection.RemoteIpAddress?.ToString() ?? "?");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        context.Request.Body = new MemoryStream(body, writable: false);
        await next(context);
    }
}
