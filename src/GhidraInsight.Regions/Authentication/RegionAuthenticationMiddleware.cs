using GhidraInsight.Http.Bodies;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Tls;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Regions.Authentication;

/// <summary>
/// The one authentication scheme of inter-region traffic (replication, the internal failover API, raw binaries and Raft): a
/// request to a <see cref="RegionPaths"/> path passes only when another region of the deployment signed it with the region
/// secret (HMAC over body, region, timestamp, nonce, method and path; a timestamp window and a replay guard). The body is read
/// within the path's limit first; the verified sender is attached as <see cref="RegionIdentity"/>. Anything else gets 401
/// <c>REGION_UNAUTHORIZED</c>, and nothing behind it runs.
/// </summary>
internal sealed class RegionAuthenticationMiddleware(RequestDelegate next, ILogger<RegionAuthenticationMiddleware> logger, PeerTls tls,
    RegionRequestVerifier? verifier = null)
{
    /// <summary>
    /// At most one line per this long: a peer with another secret (a rotation under way, a misconfiguration) or a scanner sends
    /// many requests, and the operator needs the fact and the count, not a line per Raft heartbeat.
    /// </summary>
    internal static readonly TimeSpan RefusalLogInterval = TimeSpan.FromSeconds(10);

    private long _lastRefusalLogged = long.MinValue;
    private int _refusalsNotLogged;

    public async Task InvokeAsync(HttpContext context)
    {
        if (RegionPaths.MaxBodyBytes(context.Request.Path) is not { } limit)
        {
            await next(context);
            return;
        }

        if (verifier is null)
        {
            await Problem.WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemCodes.RegionUnauthorized, "Inter-region requests are not accepted here.",
                "This region has no inter-region secret configured.");
            return;
        }

        // Under mutual TLS a peer proves itself twice: a client certificate of the deployment's CA (checked in the handshake), then
        // the signature. A request without one never reaches the signature check.
        if (tls.RequiresClientCertificates && context.Connection.ClientCertificate is null)
        {
            LogRefusal(context, "client_certificate_missing");
            await Problem.WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemCodes.RegionUnauthorized, "The inter-region request is not authentic.",
                "client_certificate_missing: mutual TLS is on, and inter-region requests must present a client certificate of the deployment's CA");
            return;
        }

        var body = context.Request.ContentLength > limit ? null : await BoundedBody.ReadAsync(context.Request.Body, limit, context.RequestAborted);
        if (body is null)
        {
            await Problem.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge, "The inter-region request is too large.",
                $"The limit here is {limit} bytes.");
            return;
        }

        var result = verifier.Verify(context.Request.Headers, context.Request.Method, context.Request.GetEncodedPathAndQuery(), body);
        if (!result.Succeeded)
        {
            LogRefusal(context, result.Code ?? "invalid");
            await Problem.WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemCodes.RegionUnauthorized, "The inter-region request is not authentic.", result.Code);
            return;
        }

        context.Features.Set(new RegionIdentity(result.Region!));
        context.Features.Set(new SignedBody(body));
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        await next(context);
    }

    private void LogRefusal(HttpContext context, string code)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastRefusalLogged);
        // long.MinValue: nothing logged yet (now - MinValue would overflow).
        if ((last != long.MinValue && now - last < (long)RefusalLogInterval.TotalMilliseconds) || Interlocked.CompareExchange(ref _lastRefusalLogged, now, last) != last)
        {
            Interlocked.Increment(ref _refusalsNotLogged);
            return;
        }
        Log.RegionRequestRefused(logger, context.Request.Path, code, context.Connection.RemoteIpAddress?.ToString() ?? "?",
            Interlocked.Exchange(ref _refusalsNotLogged, 0));
    }
}
