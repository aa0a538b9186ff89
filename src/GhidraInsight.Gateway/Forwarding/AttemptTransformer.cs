using System.Buffers;
using GhidraInsight.Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace GhidraInsight.Gateway.Forwarding;

/// <summary>
/// One attempt of a request at one region. It decides, when the answer's headers arrive and before anything reaches the client,
/// whether the answer is relayed or the request is tried on the next region: an idempotent request on 502, 503 or 504; a strong
/// write only when the region said it did not take it (503 with <c>X-Ghidra-Write-Taken: false</c>). The last attempt relays
/// whatever comes.
/// An answer with a Content-Length up to <see cref="BufferedBodyLimit"/> (every stored analysis but the largest) is read whole
/// before its first byte goes to the client: a region that dies in the middle of it costs a retry elsewhere, not a broken answer,
/// and the client gets it in one write instead of one per network read.
/// </summary>
internal sealed class AttemptTransformer(RequestKind kind, string region, bool last, TimeProvider time) : HttpTransformer
{
    /// <summary>Answers up to this size are read whole before they are relayed; larger or unsized ones stream through.</summary>
    public const int BufferedBodyLimit = 4 << 20;

    private readonly long _started = time.GetTimestamp();

    /// <summary>Why the answer was not relayed (the request goes to the next region); null when it was.</summary>
    public string? RetryReason { get; private set; }

    /// <summary>The region failed while sending the body of its answer (nothing of it reached the client); null otherwise.</summary>
    public Exception? BodyFailure { get; private set; }

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

        await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        httpContext.Response.Headers[GatewayHeaders.ServedBy] = region;
        var length = proxyResponse.Content.Headers.ContentLength;
        if (HttpMethods.IsHead(httpContext.Request.Method) || length is not (> 0 and <= BufferedBodyLimit))
        {
            // Streamed through by the forwarder.
            return true;
        }

        await RelayWholeAsync(httpContext, proxyResponse, (int)length.Value, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private async Task RelayWholeAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, int length, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            try
            {
                var body = await proxyResponse.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    await body.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException
                && !httpContext.RequestAborted.IsCancellationRequested)
            {
                BodyFailure = exception;
                RetryReason = "the answer broke off: " + exception.Message;
                return;
            }

            try
            {
                await httpContext.Response.Body.WriteAsync(buffer.AsMemory(0, length), httpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                // The client went away; nothing to tell it.
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool Retryable(HttpResponseMessage response, int status) => kind switch
    {
        RequestKind.StrongWrite => status == StatusCodes.Status503ServiceUnavailable
            && response.Headers.TryGetValues(GatewayHeaders.WriteTaken, out var taken) && taken.Contains("false", StringComparer.OrdinalIgnoreCase),
        _ => status is StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout,
    };
}
