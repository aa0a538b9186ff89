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

        using var buffer = new MemoryStream();
        if (!await ReadBoundedAsync(context.Request.Body, buffer, context.RequestAborted))
        {
            // Stopped at the limit: an unauthenticated sender cannot make this region buffer more.
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var result = verifier.Verify(context.Request.Headers, context.Request.Method, context.Request.GetEncodedPathAndQuery(), buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (!result.Succeeded)
        {
            Log.ConsensusRefused(logger, result.Code ?? "unknown", context.Connection.RemoteIpAddress?.ToString() ?? "?");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        buffer.Position = 0;
        context.Request.Body = buffer;
        await next(context);
    }

    /// <summary>Copies the body into <paramref name="buffer"/>; false, having read at most one chunk past it, when it exceeds the limit.</summary>
    private static async Task<bool> ReadBoundedAsync(Stream body, MemoryStream buffer, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxMessageBytes)
            {
                return false;
            }

            buffer.Write(chunk, 0, read);
        }

        return true;
    }
}
