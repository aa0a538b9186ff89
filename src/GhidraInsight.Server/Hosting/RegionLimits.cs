using System.Globalization;
using System.Threading.RateLimiting;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Problems;
using GhidraInsight.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Server.Hosting;

/// <summary>Per-key rate limit (429) and whole-request timeout (504), both answered with problem details.</summary>
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
        if (options.Server.RateLimitPerMinute <= 0)
        {
            return services;
        }
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Health probes (load balancers) and signed inter-region traffic are never limited.
                if (context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/api/replicate") || context.Request.Path.StartsWithSegments("/api/internal"))
                {
                    return RateLimitPartition.GetNoLimiter("health");
                }
                var caller = Caller.Of(context);
                var partition = ReferenceEquals(caller, Caller.Anonymous)
                    ? "address:" + context.Connection.RemoteIpAddress
                    : "key:" + caller.Name;
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.Server.RateLimitPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                rejected.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new ValueTask(Problem.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited,
                    "Too many requests.", $"The limit is {options.Server.RateLimitPerMinute} requests per minute per API key."));
            };
        });
        return services;
    }
}
