using System.Net;
using GhidraInsight.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Http.Tls;

/// <summary>
/// The one way a region and the gateway listen: on their host and port, plain HTTP (loopback, or behind a TLS-terminating
/// proxy), or HTTPS with HTTP/2 and HTTP/1.1 from a certificate that reloads when its files change. With mutual TLS between
/// regions, a client may present a certificate, which must then chain to the deployment's CA; the inter-region endpoints
/// require one (the region authentication checks that), the public API does not.
/// </summary>
public static class TlsListening
{
    /// <summary>Slow clients may hold a connection this long while sending their headers (Kestrel's default is 30 s).</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers the listener's <see cref="ReloadingCertificate"/> when both files are given, and the <see cref="PeerTls"/> of
    /// <paramref name="region"/> (how this host reaches regions, and which client certificates it takes).
    /// </summary>
    public static IServiceCollection AddListenerTls(this IServiceCollection services, string? certificateFile, string? keyFile, RegionOptions region)
    {
        if (certificateFile is not null && keyFile is not null)
        {
            services.AddSingleton(provider => new ReloadingCertificate(certificateFile, keyFile,
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<ReloadingCertificate>()));
        }
        services.TryAddSingleton(provider => PeerTls.For(region, provider.GetRequiredService<ILoggerFactory>().CreateLogger<PeerTls>()));
        return services;
    }

    /// <summary>Reads the certificates and keys now, so a bad file stops the start with one line, before anything listens.</summary>
    public static void LoadListenerTls(IServiceProvider services)
    {
        services.GetService<ReloadingCertificate>();
        services.GetRequiredService<PeerTls>();
    }

    public static void Listen(KestrelServerOptions kestrel, string host, int port, ReloadingCertificate? certificate, PeerTls? peers = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        // Slow-loris: headers within 10 s, a body at 240 bytes/s at least after a 5 s grace (Kestrel's rate, stated here), idle
        // keep-alive connections closed after a minute. Body sizes are limited per endpoint (uploads, annotations, inter-region).
        kestrel.Limits.RequestHeadersTimeout = RequestHeadersTimeout;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(1);
        kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        var address = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(host);
        kestrel.Listen(address, port, listen =>
        {
            if (certificate is null)
            {
                return;
            }
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(https =>
            {
                https.ServerCertificateSelector = (_, _) => certificate.Current;
                if (peers is { RequiresClientCertificates: true })
                {
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.ClientCertificateValidation = peers.ValidateClient;
                }
            });
        });
    }
}
