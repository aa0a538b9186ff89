using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Http.Security;

/// <summary>
/// Headers every answer of a region and the gateway carries: no content sniffing, no framing, no referrer, and on HTTPS a
/// year of Strict-Transport-Security, so a browser that once reached the service over TLS never falls back to plain HTTP.
/// </summary>
public static class SecurityHeaders
{
    public static void UseSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
