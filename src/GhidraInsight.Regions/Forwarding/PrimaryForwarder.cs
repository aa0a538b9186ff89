using System.Diagnostics;
using System.Net;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Tls;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace GhidraInsight.Regions.Forwarding;

/// <summary>
/// Forwards the request being served to the primary with YARP's <see cref="IHttpForwarder"/>: the caller's headers (its API key
/// included) and body are streamed as they are, the answer is streamed back, and <c>X-Ghidra-Forwarded-By</c> /
/// <c>X-Ghidra-Accepted-By</c> say who forwarded and who accepted. Not signed: the primary judges the caller's own credentials.
/// </summary>
internal sealed class PrimaryForwarder : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly IOptionsMonitor<RegionOptions> _options;
    private readonly HttpMessageInvoker _client;

    public PrimaryForwarder(IHttpForwarder forwarder, IOptionsMonitor<RegionOptions> options, PeerTls tls)
    {
        _forwarder = forwarder;
        _options = options;
        _client = new HttpMessageInvoker(tls.Apply(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, Math.Max(1, options.CurrentValue.CrossRegionTimeoutSeconds))),
        }));
    }

    public ValueTask<ForwarderError> ForwardAsync(HttpContext context, Uri primaryEndpoint, string primary)
    {
        var options = _options.CurrentValue;
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(Math.Max(1, options.CrossRegionTimeoutSeconds)) };
        return _forwarder.SendAsync(context, primaryEndpoint.AbsoluteUri, _client, config, new Transformer(options.CurrentRegion, primary));
    }

    public void Dispose() => _client.Dispose();

    private sealed class Transformer(string current, string primary) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix,
            CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
            proxyRequest.Headers.Remove(ForwardingHeaders.ForwardedBy);
            proxyRequest.Headers.TryAddWithoutValidation(ForwardingHeaders.ForwardedBy, current);
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
            CancellationToken cancellationToken)
        {
            var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
            if (proxyResponse is not null && !httpContext.Response.Headers.ContainsKey(ForwardingHeaders.AcceptedBy))
            {
                httpContext.Response.Headers[ForwardingHeaders.AcceptedBy] = primary;
            }

            return copy;
        }
    }
}
