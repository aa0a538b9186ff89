using System.Net;
using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Server.Analyses;
using GhidraInsight.Server.Annotations;
using GhidraInsight.Server.Caching;
using GhidraInsight.Server.Health;
using GhidraInsight.Server.Metrics;
using GhidraInsight.Server.Regions;
using GhidraInsight.Server.Security;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace GhidraInsight.Server.Hosting;

/// <summary>Composes the web application of one region: services, middleware order, endpoints.</summary>
internal static class RegionApplication
{
    public static async Task<WebApplication> BuildAsync(GhidraOptions options, IAnalysisStore store, PrimaryRole role, Action<ILoggingBuilder>? configureLogging,
        CancellationToken cancellationToken)
    {
        var election = PrimaryElection.IsEnabled(options.Region);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "GhidraInsight.Server", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
        // Logs go to stderr: stdout belongs to the command's own output (serve's "listening on" line).
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Multipart framing adds a little to the file itself.
            kestrel.Limits.MaxRequestBodySize = options.Server.MaxUploadBytes + (1 << 20);
            if (string.Equals(options.Server.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.Listen(IPAddress.Loopback, options.Server.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(options.Server.Host), options.Server.Port);
            }
        });
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form => form.MultipartBodyLengthLimit = options.Server.MaxUploadBytes + (1 << 20));
        builder.Services.AddRegionServices(options, store);
        builder.Services.AddRegionLimits(options);
        builder.Services.AddOpenApi();
        if (election)
        {
            builder.AddPrimaryElection(options, role);
        }
        else
        {
            builder.Services.AddSingleton(role);
        }
        builder.Services.AddRegions(options);

        var app = builder.Build();
        app.UseRegionErrorHandling();
        if (election)
        {
            // Before anything else in the pipeline: Raft messages skip API keys, rate limits and request timeouts, and are signed instead.
            await app.UsePrimaryElectionAsync(cancellationToken);
        }
        app.UseRouting();
        app.UseHttpMetrics(metrics => metrics.SetMetricFactory(app.Services.GetRequiredService<ServerMetrics>().Factory));
        app.UseRequestTimeouts();
        app.UseMiddleware<ApiKeyMiddleware>();
        if (options.Server.RateLimitPerMinute > 0)
        {
            app.UseRateLimiter();
        }
        app.UseMiddleware<PrimaryForwardingMiddleware>();
        app.MapHealth();
        app.MapRegionStatus();
        app.MapFailover();
        if (!options.Region.IsWitness)
        {
            // A witness only votes: it serves no analyses and takes no replication.
            app.MapAnalyses();
            app.MapAnnotations();
            app.MapReplication();
            app.MapConflicts();
        }
        app.MapMetrics("/metrics", app.Services.GetRequiredService<ServerMetrics>().Registry).WithMetadata(new RequiredRole(ApiRole.Read));
        app.MapOpenApi("/openapi/v1.json");
        return app;
    }

    private static IServiceCollection AddRegionServices(this IServiceCollection services, GhidraOptions options, IAnalysisStore store)
    {
        services.AddSingleton(options);
        services.AddSingleton(store);
        services.AddSingleton(new AnalysisCache(options.Storage.CacheEntries));
        services.AddSingleton(new AnalysisQueue(options.Server.AnalysisConcurrency, options.Server.AnalysisQueueLimit));
        services.AddSingleton(new ApiKeyAuthenticator(options.Auth.ApiKeys));
        services.AddSingleton(provider =>
        {
            var metrics = new ServerMetrics();
            var queue = provider.GetRequiredService<AnalysisQueue>();
            metrics.OnCollect(ct => store.CountAnalysesAsync(ct), ct => store.CountConflictsAsync(ct), () => queue.Depth);
            metrics.OnCollectRegions(provider.GetRequiredService<MultiRegionManager>(), provider.GetRequiredService<ReplicationService>());
            return metrics;
        });
        services.AddSingleton<AnalysisService>();
        services.AddSingleton<RemoteBinaryFetcher>();
        services.AddSingleton<StrongWriteGate>();
        return services;
    }
}
