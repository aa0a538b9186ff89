using GhidraInsight.Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace GhidraInsight.Gateway.Forwarding;

/// <summary>
/// One attempt of a request at one region. It decides, when the answer's headers arrive and before anything reaches the client,
/// whether the answer is relayed or the request is tried on the next region: an idempotent request on 502, 503 or 504; a strong
/// write only when the region said it did not take it (503 with <c>X-Ghidra-Write-Taken: false</c>). The last attempt relays
/// whatever comes.
/// </summary>
internal sealed class AttemptTransformer(RequestKind kind, string region, bool last, TimeProvider time) : HttpTransformer
{
    private readonly long _started = time.GetTimestamp();

    /// <summary>Why the answer was not relayed (the request goes to the next region); null when it was.</summary>
    public string? RetryReason { get; private set; }

    /// <summary>Time from sending to the answer's headers; null when none came.</summary>
    public TimeSpan? TimeToHeaders { get; private set; }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
        CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        // The regions judge the caller's own key; the gateway adds where it came from, for their logs.
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", httpContext.Connection.RemoteIpAddress?.ToString());
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        }

        TimeToHeaders = time.GetElapsedTime(_started);
        var status = (int)proxyResponse.StatusCode;
        if (!last && Retryable(proxyResponse, status))
        {
            RetryReason = $"HTTP {status}";
            return false;
        }

        var relayed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        httpContext.Response.Headers[GatewayHeaders.ServedBy] = region;
        return relayed;
    }

    private bool Retryable(HttpResponseMessage response, int status) => kind switch
    {
        RequestKind.StrongWrite => status == StatusCodes.Status503ServiceUnavailable
            && response.Headers.TryGetValues(GatewayHeaders.WriteTaken, out var taken) && taken.Contains("false", StringComparer.OrdinalIgnoreCase),
        _ => status is StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout,
    };
}
