using System.Globalization;
using System.Threading.RateLimiting;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Problems;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Http.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Server.Hosting;

/// <summary>
/// Per-key rate limit (429) and whole-request timeout (504), both answered with problem details. The rate limit is read per
/// request, so a reloaded <c>server.rate_limit_per_minute</c> applies at once (0 turns it off).
/// </summary>
internal static class RegionLimits
{
    public static IServiceCollection AddRegionLimits(this IServiceCollection services, GhidraOptions options)
    {
        services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = TimeSpan.FromSeconds(options.Server.RequestTimeoutSeconds),
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            WriteTimeoutResponse = context => Problem.WriteAsync(context, StatusCodes.Status504GatewayTimeout, ProblemCodes.Timeout,
                "The request took longer than this server allows.", $"The limit is {options.Server.RequestTimeoutSeconds} s."),
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptionsMonitor<ServerOptions>>().CurrentValue.RateLimitPerMinute;
                // Health probes (load balancers) and signed inter-region traffic are never limited.
                if (perMinute <= 0 || context.Request.Path.StartsWithSegments("/health") || RegionPaths.IsInterRegion(context.Request.Path))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }
                var caller = Caller.Of(context);
                var who = ReferenceEquals(caller, Caller.Anonymous) ? "address:" + context.Connection.RemoteIpAddress : "key:" + caller.Name;
                // The limit is part of the partition: after a reload, callers start on a window of the new size.
                return RateLimitPartition.GetFixedWindowLimiter(string.Create(CultureInfo.InvariantCulture, $"{who}/{perMinute}"), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var perMinute = rejected.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<ServerOptions>>().CurrentValue.RateLimitPerMinute;
                return new ValueTask(Problem.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited,
                    "Too many requests.", $"The limit is {perMinute} requests per minute per API key."));
            };
        });
        return services;
    }
}
