using System.Globalization;
using System.Net;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Destinations;
using GhidraInsight.Gateway.Metrics;
using GhidraInsight.Gateway.Probing;
using GhidraInsight.Gateway.Routing;
using GhidraInsight.Http.Bodies;
using GhidraInsight.Http.Logging;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Tls;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace GhidraInsight.Gateway.Forwarding;

/// <summary>
/// Sends every request that is not the gateway's own to a region (YARP's <see cref="IHttpForwarder"/>), and to the next region
/// when that fails before anything reached the client: a transport failure (which also takes the region out of rotation at
/// once), or an answer <see cref="AttemptTransformer"/> does not relay. Bodies are buffered (up to the upload limit) so a retry
/// sends the same bytes. At most <c>1 + gateway.retry_budget</c> regions are tried; when none serves, a 503 names them.
/// </summary>
internal sealed class GatewayForwarder : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly RegionTable _table;
    private readonly IOptionsMonitor<GatewayOptions> _gateway;
    private readonly ServerOptions _server;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpMessageInvoker _client;
    private readonly RegionProber _prober;

    public GatewayForwarder(IHttpForwarder forwarder, RegionTable table, IOptionsMonitor<GatewayOptions> gateway, ServerOptions server, GatewayMetrics metrics,
        TimeProvider time, ILogger<GatewayForwarder> logger, PeerTls tls, RegionProber prober)
    {
        _prober = prober;
        _forwarder = forwarder;
        _table = table;
        _gateway = gateway;
        _server = server;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _client = new HttpMessageInvoker(tls.Apply(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromMilliseconds(gateway.CurrentValue.ConnectTimeoutMs),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        }));
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var kind = RequestClassifier.Classify(context.Request);
        if (kind == RequestKind.Blocked)
        {
            await Problem.WriteAsync(context, StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No such endpoint.",
                "Inter-region endpoints are not exposed through the gateway.");
            return;
        }

        var (readable, body) = await BufferBodyAsync(context);
        if (!readable)
        {
            return;
        }

        var hint = context.Request.Headers[RouteOrder.ClientRegionHeader].FirstOrDefault();
        var (order, decision) = RouteOrder.For(kind, hint, _table.Snapshot());
        if (order.Count == 0 && kind == RequestKind.PrimaryOnly)
        {
            await AnswerNoPrimaryAsync(context);
            return;
        }

        var attempts = Math.Min(order.Count, 1 + _gateway.CurrentValue.RetryBudget);
        List<(string Region, string? Failure)>? tried = null;
        var started = _time.GetTimestamp();
        // Who was primary when the request came in: a refused strong write goes on at once when a region reports another.
        var primary = kind == RequestKind.StrongWrite ? _table.Primary() : default;
        for (var i = 0; i < attempts; i++)
        {
            var region = order[i];
            if (i > 0 && kind == RequestKind.StrongWrite)
            {
                (region, primary) = NextForStrongWrite(hint, primary, tried!);
            }

            if (i == 0)
            {
                _metrics.Routed(decision, region.Name);
            }

            var outcome = await AttemptAsync(context, kind, region, body, last: i == attempts - 1);
            if (outcome.Relayed)
            {
                if (i > 0)
                {
                    _metrics.RoutedAround(_time.GetElapsedTime(started));
                }
                return;
            }

            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            (tried ??= []).Add((region.Name, outcome.Failure));
            if (!outcome.Retryable)
            {
                await AnswerUnknownWriteAsync(context, region.Name, outcome.Failure);
                return;
            }

            if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
            {
                break;
            }

            if (i < attempts - 1)
            {
                _metrics.Retried(region.Name, outcome.Reason);
                if (kind == RequestKind.StrongWrite)
                {
                    // A refused strong write means no primary takes writes right now: give the election a moment, probing the
                    // regions meanwhile, and go on as soon as one reports a new primary.
                    try
                    {
                        await NewPrimaryOrAsync(primary, TimeSpan.FromMilliseconds(250 * (i + 1)), context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }

        await AnswerNoRegionAsync(context, tried ?? []);
    }

    /// <summary>
    /// Where a refused strong write goes next, by what the regions report now: the primary when it changed since the last attempt
    /// (even if it was tried before, as a replica that did not know yet), else the first region not tried yet.
    /// </summary>
    private (GatewayRegionSnapshot Region, (string? Primary, long Epoch) Primary) NextForStrongWrite(string? hint, (string? Primary, long Epoch) before,
        List<(string Region, string? Failure)> tried)
    {
        var snapshot = _table.Snapshot();
        var now = RegionTable.Primary(snapshot);
        var (order, _) = RouteOrder.For(RequestKind.StrongWrite, hint, snapshot);
        if (now != before && order[0].Healthy && order[0].Name == now.Primary)
        {
            return (order[0], now);
        }

        foreach (var candidate in order)
        {
            if (!tried.Exists(t => t.Region == candidate.Name))
            {
                return (candidate, now);
            }
        }

        return (order[0], now);
    }

    /// <summary>Waits <paramref name="wait"/>, or less: until a region reports a primary other than <paramref name="known"/>.</summary>
    private async Task NewPrimaryOrAsync((string? Primary, long Epoch) known, TimeSpan wait, CancellationToken cancellationToken)
    {
        _prober.Hurry(TimeSpan.FromSeconds(2));
        var started = _time.GetTimestamp();
        while (_table.Primary() == known && _time.GetElapsedTime(started) is var elapsed && elapsed < wait)
        {
            var rest = wait - elapsed;
            await Task.Delay(rest < PrimaryWatch ? rest : PrimaryWatch, _time, cancellationToken);
        }
    }

    /// <summary>How often a refused strong write looks whether a new primary was reported while it waits.</summary>
    private static readonly TimeSpan PrimaryWatch = TimeSpan.FromMilliseconds(20);

    /// <summary>One attempt at one region; the answer was relayed, or why not and whether another region may be tried.</summary>
    private async Task<AttemptOutcome> AttemptAsync(HttpContext context, RequestKind kind, GatewayRegionSnapshot region, byte[]? body, bool last)
    {
        if (body is not null)
        {
            context.Request.Body = new MemoryStream(body, writable: false);
        }

        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status200OK;
        var transformer = new AttemptTransformer(kind, region.Name, last, _time);
        var config = new ForwarderRequestConfig
        {
            ActivityTimeout = TimeSpan.FromSeconds(_server.RequestTimeoutSeconds),
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        var error = await _forwarder.SendAsync(context, region.Endpoint.AbsoluteUri, _client, config, transformer);
        if (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to relay, nobody to retry for, and no fault of the region's.
            _metrics.Attempt(region.Name, "client_gone");
            return new AttemptOutcome(false, "the client went away", "client_gone", false);
        }

        if (error == ForwarderError.None && transformer.RetryReason is null)
        {
            _metrics.Attempt(region.Name, "relayed");
            if (transformer.TimeToHeaders is { } latency && kind == RequestKind.Idempotent && HttpMethods.IsGet(context.Request.Method))
            {
                _table.Find(region.Name)?.RequestAnswered(latency.TotalMilliseconds);
            }
            return new AttemptOutcome(true, null, "relayed", false);
        }

        if (error == ForwarderError.None && transformer.BodyFailure is null)
        {
            _metrics.Attempt(region.Name, "refused");
            return new AttemptOutcome(false, transformer.RetryReason, "answer", true);
        }

        var exception = transformer.BodyFailure ?? context.GetForwarderErrorFeature()?.Exception;
        // Only a connection that never opened proves the region never got the request.
        var notSent = transformer.BodyFailure is null && exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };
        var failure = transformer.BodyFailure is null ? $"{error}: {exception?.Message ?? "no answer"}" : transformer.RetryReason!;
        _metrics.Attempt(region.Name, "transport_error");
        if ((transformer.BodyFailure is not null || error is ForwarderError.Request or ForwarderError.RequestTimedOut)
            && _table.Find(region.Name)?.TakeOut($"a request failed: {failure}") == true)
        {
            Log.RegionOut(_logger, region.Name, $"a request failed: {failure}");
        }

        // An idempotent request may go anywhere again; a strong write only when it provably never left.
        return new AttemptOutcome(false, failure, "transport", kind != RequestKind.StrongWrite || notSent);
    }

    /// <summary>
    /// Reads the body into memory (once, up to the upload limit) so each attempt sends the same bytes: the body, or null when there
    /// is none; not readable when it answered 413.
    /// </summary>
    private async ValueTask<(bool Readable, byte[]? Body)> BufferBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is null or 0 && !context.Request.Headers.TransferEncoding.Any())
        {
            return (true, null);
        }

        // Multipart framing adds a little to the file itself.
        var limit = _server.MaxUploadBytes + (1 << 20);
        var body = context.Request.ContentLength > limit ? null : await BoundedBody.ReadAsync(context.Request.Body, limit, context.RequestAborted);
        if (body is null)
        {
            await Problem.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge, "The request body is larger than the gateway forwards.",
                $"The limit is {limit} bytes (server.max_upload_bytes plus multipart framing).");
            return (false, null);
        }

        context.Request.ContentLength = body.Length;
        return (true, body);
    }

    private async Task AnswerNoRegionAsync(HttpContext context, List<(string Region, string? Failure)> tried)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var detail = tried.Count == 0 ? "no region is configured" : "tried " + string.Join("; ", tried.Select(t => $"{t.Region} ({t.Failure})"));
        Log.NoRegion(_logger, context.Request.Method, context.Request.Path, context.TraceIdentifier, detail);
        FailureLogging.MarkLogged(context);
        _metrics.Unavailable();
        context.Response.Clear();
        context.Response.Headers.RetryAfter = "2";
        await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.NoRegionAvailable, "No region could serve the request.", detail);
    }

    private async Task AnswerNoPrimaryAsync(HttpContext context)
    {
        var (primary, _) = _table.Primary();
        var detail = primary is null
            ? "No region has named a primary yet."
            : $"The primary, {primary}, is out of the gateway's rotation ({_table.Find(primary)?.Snapshot().WhyOut ?? "unknown"}); a failover names a new one within seconds.";
        Log.NoRegion(_logger, context.Request.Method, context.Request.Path, context.TraceIdentifier, detail);
        FailureLogging.MarkLogged(context);
        _metrics.Unavailable();
        context.Response.Headers.RetryAfter = "2";
        await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
            "X-Consistency: strong asks for the primary, and no primary is in rotation.", detail);
    }

    /// <summary>A strong write that reached a region which then failed: it may have been stored, so it is not sent again.</summary>
    private static Task AnswerUnknownWriteAsync(HttpContext context, string region, string? failure)
    {
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        context.Response.Clear();
        context.Response.Headers.RetryAfter = "2";
        return Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
            "The region failed while it had the write; it may or may not have been stored. Read it back before sending it again.", $"{region}: {failure}");
    }

    public void Dispose() => _client.Dispose();
}
