using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GhidraInsight.Http.Security;

/// <summary>API keys with roles for every host: the authenticator (following <c>auth.api_keys</c> as reloaded) and the middleware.</summary>
public static class ApiKeys
{
    /// <summary>Registers the authenticator; needs <c>IOptionsMonitor&lt;AuthOptions&gt;</c>.</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ApiKeyAuthenticator>();
        return services;
    }

    /// <summary>
    /// After routing: endpoints with a <see cref="RequiredRole"/> need a key of that role or above (401/403 problems); the caller
    /// is attached as <see cref="Caller"/>. Without keys configured every caller may call everything (the host is then loopback-only).
    /// </summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<ApiKeyMiddleware>();
    }

    /// <summary>The key a request presents, as <c>X-API-Key</c> or <c>Authorization: Bearer</c>; null without one.</summary>
    public static string? Presented(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.TryGetValue("X-API-Key", out var header) && !string.IsNullOrEmpty(header))
        {
            return header.ToString();
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
