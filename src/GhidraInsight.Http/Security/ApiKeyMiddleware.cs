using GhidraInsight.Http.Problems;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Http.Security;

/// <summary>
/// Reads <c>X-API-Key</c> or <c>Authorization: Bearer</c>, and refuses endpoints whose <see cref="RequiredRole"/> the
/// caller lacks (401 without a valid key, 403 with too weak a role). Endpoints without the metadata are public.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyAuthenticator authenticator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>();
        if (!authenticator.Enabled || required is null)
        {
            await next(context);
            return;
        }
        var presented = ApiKeys.Presented(context.Request);
        if (presented is null || authenticator.Authenticate(presented) is not { } key)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problem.WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemCodes.Unauthorized,
                presented is null ? "An API key is required." : "The API key is not valid.",
                "Send it as 'X-API-Key: KEY' or 'Authorization: Bearer KEY'.");
            return;
        }
        // Known before the role check, so a refused call is still attributed to its key (the audit trail records it).
        new Caller(key.Name, key.Role).AttachTo(context);
        if (key.Role < required.Role)
        {
            await Problem.WriteAsync(context, StatusCodes.Status403Forbidden, ProblemCodes.Forbidden,
                "The API key's role does not allow this.", $"key '{key.Name}' has role {key.Role}; this needs {required.Role}.");
            return;
        }
        await next(context);
    }
}
