using System.Net;
using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Dashboard;
using GhidraInsight.Http.Logging;
using GhidraInsight.Http.Tls;
using GhidraInsight.Http.Security;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Server.Analyses;
using GhidraInsight.Server.Audit;
using GhidraInsight.Server.Annotations;
using GhidraInsight.Server.Caching;
using GhidraInsight.Server.Diagnostics;
using GhidraInsight.Server.DiskSpace;
using GhidraInsight.Server.Health;
using GhidraInsight.Server.Metrics;
using GhidraInsight.Http.Problems;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace GhidraInsight.Server.Hosting;

/// <summary>
/// Composes the web application of one region, in one place for every host (serve, tests, benchmarks): the store, the
/// multi-region services (<c>AddRegions</c>: role, fence, gate, replication, monitor), the public analysis API, and the
/// middleware order.
/// </summary>
internal static class RegionApplication
{
    /// <param name="options">The options to start with.</param>
    /// <param name="configuration">
    /// Where <paramref name="options"/> came from, when it can reload (serve): its reloadable keys then apply without a restart.
    /// Null for options built in code (tests, benchmarks): the same composition, with options that stay as given.
    /// </param>
    /// <param name="configureLogging">Adjusts logging (tests quiet it).</param>
    /// <param name="cancellationToken">Stops a start that takes too long.</param>
    public static async Task<WebApplication> BuildAsync(GhidraOptions options, GhidraConfiguration? configuration, Action<ILoggingBuilder>? configureLogging,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "GhidraInsight.Server", ContentRootPath = AppContext.BaseDirectory });
        ServiceLogging.Configure(builder.Logging);
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Multipart framing adds a little to the file itself.
            kestrel.Limits.MaxRequestBodySize = options.Server.MaxUploadBytes + (1 << 20);
            TlsListening.Listen(kestrel, options.Server.Host, options.Server.Port, kestrel.ApplicationServices.GetService<ReloadingCertificate>(),
                kestrel.ApplicationServices.GetRequiredService<PeerTls>());
        });
        builder.Services.AddListenerTls(options.Server.TlsCertFile, options.Server.TlsKeyFile, options.Region);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form => form.MultipartBodyLengthLimit = options.Server.MaxUploadBytes + (1 << 20));
        if (configuration is not null)
        {
            builder.Services.AddGhidraOptions(configuration);
        }
        else
        {
            builder.Services.AddFixedGhidraOptions(options);
        }
        // Sections that cannot change while running, for the services that need them at construction.
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Server);
        builder.Services.AddSingleton(options.Storage);
        // Made by the container (taken first below), so the container releases it when the region is disposed.
        builder.Services.AddSingleton(_ => DataFolderLock.Acquire(options.Storage.DataDir));
        if (options.Storage.IsPostgres)
        {
            builder.Services.AddPostgresRegionStorage(PostgresOptions(options.Storage));
            builder.Services.AddSingleton<ChangeFeedFollower>();
            builder.Services.AddHostedService(provider => provider.GetRequiredService<ChangeFeedFollower>());
        }
        else
        {
            builder.Services.AddRegionStorage(options.Storage.DataDir, options.Storage.MaxBinaryBytes);
        }

        builder.Services.AddRegions(options);
        builder.Services.AddAnalysisApi(options);
        builder.Services.AddRegionLimits(options);
        builder.Services.AddOpenApi(openApi => openApi.AddOperationTransformer<ProblemCodesTransformer>());

        var app = builder.Build();
        try
        {
            app.Services.GetRequiredService<DataFolderLock>();
            TlsListening.LoadListenerTls(app.Services);
            WarnWhenPlainHttpBeyondLoopback(app, options);
            await app.Services.GetRequiredService<IRegionStore>().InitializeAsync(cancellationToken);
            // A region that starts on a full disk refuses uploads from its first request.
            app.Services.GetRequiredService<DataFolderSpaceWatch>().SampleOnce();
            if (app.Services.GetService<ChangeFeedFollower>() is { } follower)
            {
                await follower.StartAtHeadAsync(cancellationToken);
            }

            await ComposePipelineAsync(app, options, cancellationToken);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static async Task ComposePipelineAsync(WebApplication app, GhidraOptions options, CancellationToken cancellationToken)
    {
        app.UseFailureLogging("GhidraInsight.Server");
        app.UseSecurityHeaders();
        app.UseProblemErrorHandling();
        app.UseStoreUnavailableAnswers();
        await app.UseRegionsAsync(cancellationToken);
        app.UseRouting();
        // Before the key check, so refused admin calls are recorded too; a call forwarded to the primary is recorded there.
        app.UseAuditRecording();
        app.UseHttpMetrics(metrics => metrics.SetMetricFactory(app.Services.GetRequiredService<ServerMetrics>().Factory));
        app.UseRequestTimeouts();
        app.UseApiKeys();
        app.UseRateLimiter();

        app.UseRegionForwarding();
        app.MapRegions(options.Region);
        app.MapDiagnostics();
        if (!options.Region.IsWitness)
        {
            // A witness only votes: it serves no analyses.
            app.MapAnalyses();
            app.MapReanalysis();
            app.MapAnnotations();
            app.MapAudit();
        }

        app.MapWhoAmI();
        app.MapDashboard("/dashboard");
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>()).WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapOpenApi("/openapi/v1.json");
    }

    private static void WarnWhenPlainHttpBeyondLoopback(WebApplication app, GhidraOptions options)
    {
        if (!options.Server.UsesTls && !options.Server.ListensOnLoopback)
        {
            Log.PlainHttpBeyondLoopback(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GhidraInsight.Server"), options.Server.Host);
        }
    }

    /// <summary>The store's settings from <c>storage:</c> (the configuration has checked them; the store judges the connection string again).</summary>
    internal static PostgresStoreOptions PostgresOptions(StorageOptions storage) => new()
    {
        ConnectionString = storage.ConnectionString ?? throw new InvalidOperationException("storage.connection_string is required with storage.provider postgres."),
        Password = storage.Password,
        LocalHost = storage.ReadHost,
        DataDirectory = storage.DataDir,
        MaxBinaryBytes = storage.MaxBinaryBytes,
        WriteDeadline = TimeSpan.FromMilliseconds(storage.WriteDeadlineMs),
    };

    private static IServiceCollection AddAnalysisApi(this IServiceCollection services, GhidraOptions options)
    {
        services.AddSingleton(new AnalysisCache(options.Storage.CacheEntries));
        services.AddSingleton<IReplicatedChangeObserver, AnalysisCacheInvalidation>();
        services.AddSingleton(new AnalysisQueue(options.Server.AnalysisConcurrency, options.Server.AnalysisQueueLimit));
        services.AddApiKeys();
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<AnalysisService>();
        services.AddSingleton<Reanalysis>();
        services.AddHostedService(provider => provider.GetRequiredService<Reanalysis>());
        services.AddSingleton(provider => new AuditPruner(provider.GetRequiredService<IAuditTrail>(), TimeSpan.FromDays(options.Storage.AuditRetentionDays),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<AuditPruner>>()));
        services.AddHostedService(provider => provider.GetRequiredService<AuditPruner>());
        services.AddSingleton<AuditWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditWriter>());
        services.AddSingleton(new DataFolderSpace(options.Storage.DataDir, options.Storage.ReserveBytes));
        services.AddSingleton<DataFolderSpaceWatch>();
        services.AddSingleton(provider => new RegionDiagnosis(
            provider.GetRequiredService<IOptionsMonitor<GhidraOptions>>(), provider.GetRequiredService<MultiRegionManager>(),
            provider.GetRequiredService<ReplicationService>(), provider.GetRequiredService<IHttpClientFactory>(), provider.GetRequiredService<DataFolderSpace>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetService<GhidraConfiguration>(), provider.GetService<GhidraInsight.Regions.Failover.FailoverCoordinator>(),
            provider.GetService<IDatabaseReplication>()));
        services.AddHostedService(provider => provider.GetRequiredService<DataFolderSpaceWatch>());
        services.AddHealthChecks()
            .AddCheck<AnalysisQueueHealthCheck>(AnalysisQueueHealthCheck.Name)
            .AddCheck<DataFolderSpaceHealthCheck>(DataFolderSpaceHealthCheck.Name);
        return services;
    }
}
