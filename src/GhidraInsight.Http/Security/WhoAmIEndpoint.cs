using GhidraInsight.Http.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Http.Security;

/// <summary><c>GET /api/whoami</c>: the caller the presented key establishes (any valid key may ask), answered by the host itself.</summary>
public static class WhoAmIEndpoint
{
    public static IEndpointRouteBuilder MapWhoAmI(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/whoami", (HttpContext context, ApiKeyAuthenticator authenticator) =>
            {
                var caller = Caller.Of(context);
                return Results.Json(new WhoAmI(caller.Name, caller.Role.ToString().ToLowerInvariant(), authenticator.Enabled), ContractsJsonContext.Default.WhoAmI);
            })
            .WithMetadata(new RequiredRole(Configuration.ApiRole.Read))
            .Produces<WhoAmI>();
        return app;
    }
}
