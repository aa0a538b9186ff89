using System.Net;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Destinations;
using GhidraInsight.Gateway.Endpoints;
using GhidraInsight.Gateway.Forwarding;
using GhidraInsight.Gateway.Metrics;
using GhidraInsight.Gateway.Probing;
using GhidraInsight.Http.Dashboard;
using GhidraInsight.Http.Hosting;
using GhidraInsight.Http.Logging;
using GhidraInsight.Http.Tls;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace GhidraInsight.Gateway.Hosting;

/// <summary>The running gateway: the ASP.NET Core host with its probes, its own endpoints and the forwarder behind them.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    internal const string ProbeClient = "GhidraInsight.Gateway.Probes";

    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the gateway listens (the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>Starts from a reloadable configuration: probe interval, retry budget, success threshold and API keys apply while it runs.</summary>
    public static Task<GatewayHost> StartAsync(GhidraConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return StartAsync(configuration.Current, services => services.AddGhidraOptions(configuration), configureLogging, cancellationToken);
    }

    /// <summary>Starts from options built in code (tests, benchmarks); they stay as given.</summary>
    public static Task<GatewayHost> StartAsync(GhidraOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return StartAsync(options, services => services.AddFixedGhidraOptions(options), configureLogging, cancellationToken);
    }

    /// <summary>
    /// The security rule of every host, for options built in code (a loaded configuration is already checked, also on reload):
    /// beyond loopback only with API keys, and over TLS unless <c>allow_insecure_http</c>. Throws <see cref="ConfigurationException"/> with one line per host that breaks it.
    /// </summary>
    public static void RequireKeysBeyondLoopback(GhidraOptions options) => ConfigLoader.RequireKeysForNonLoopback(options);

    private static async Task<GatewayHost> StartAsync(GhidraOptions options, Action<IServiceCollection> addOptions, Action<ILoggingBuilder>? configureLogging,
        CancellationToken cancellationToken)
    {
        RequireKeysBeyondLoopback(options);
        var table = new RegionTable(options.Region);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "GhidraInsight.Gateway", ContentRootPath = AppContext.BaseDirectory });
        ServiceLogging.Configure(builder.Logging);
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Server.MaxUploadBytes + (1 << 20);
            TlsListening.Listen(kestrel, options.Gateway.Host, options.Gateway.Port, kestrel.ApplicationServices.GetService<ReloadingCertificate>());
        });
        // Regions behind https:// endpoints are verified against the deployment's CA (region.ca_file), as regions verify each other.
        builder.Services.AddListenerTls(options.Gateway.TlsCertFile, options.Gateway.TlsKeyFile, options.Region);
        addOptions(builder.Services);
        builder.Services.AddSingleton(options.Server);
        builder.Services.AddSingleton(table);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddSingleton<LagHistory>();
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<GatewayForwarder>();
        builder.Services.AddApiKeys();
        builder.Services.AddHttpClient(ProbeClient, client => client.DefaultRequestHeaders.UserAgent.TryParseAdd("GhidraInsight-Gateway"))
            .ConfigurePrimaryHttpMessageHandler(provider => provider.GetRequiredService<PeerTls>().Apply(new SocketsHttpHandler { UseProxy = false }));
        builder.Services.AddSingleton(provider => new RegionProber(table, provider.GetRequiredService<IOptionsMonitor<GatewayOptions>>(),
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(ProbeClient), provider.GetRequiredService<GatewayMetrics>(),
            provider.GetRequiredService<LagHistory>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<RegionProber>>()));
        builder.Services.AddHostedService(provider => provider.GetRequiredService<RegionProber>());

        var app = builder.Build();
        app.UseFailureLogging("GhidraInsight.Gateway");
        app.UseSecurityHeaders();
        app.UseProblemErrorHandling();
        app.UseRouting();
        app.UseApiKeys();
        app.MapGatewayEndpoints(app.Services.GetRequiredService<CollectorRegistry>());
        app.MapForwarding(app.Services.GetRequiredService<GatewayForwarder>());
        try
        {
            TlsListening.LoadListenerTls(app.Services);
            if (!options.Gateway.UsesTls && !options.Gateway.ListensOnLoopback)
            {
                Log.PlainHttpBeyondLoopback(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GhidraInsight.Gateway"), options.Gateway.Host);
            }
            // The first probes before listening, so the first request already knows which regions serve.
            await app.Services.GetRequiredService<RegionProber>().ProbeAllAsync(cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.StopAfterFailedStartAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        Log.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GhidraInsight.Gateway"), uri.ToString(),
            string.Join(", ", table.Regions.Select(r => $"{r.Name} {r.Endpoint}")));
        return new GatewayHost(app, uri);
    }

    /// <summary>Probes every region now, outside the schedule.</summary>
    internal Task ProbeNowAsync(CancellationToken cancellationToken = default) => _app.Services.GetRequiredService<RegionProber>().ProbeAllAsync(cancellationToken);

    /// <summary>The regions as the gateway sees them now (tests).</summary>
    internal IReadOnlyList<GatewayRegionSnapshot> Regions() => _app.Services.GetRequiredService<RegionTable>().Snapshot();

    /// <summary>Completes when the host stops (SIGTERM, Ctrl+C, or <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
