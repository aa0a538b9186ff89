using GhidraInsight.Http.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace GhidraInsight.Http.Dashboard;

/// <summary>
/// Serves the dashboard: the page at the paths a host chooses (the gateway's <c>/</c>, a region's <c>/dashboard</c>) and its files
/// under <c>/dashboard/assets/</c>. The page and files are public (they hold no data); every call the page makes for data needs
/// an API key of the role it asks for, like any other client's.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Where the page's files are served from, on every host.</summary>
    public const string AssetsPath = "/dashboard/assets/";

    // The page loads only its own files and talks only to its own origin; no inline script, no framing.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app, params string[] pagePaths)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var path in pagePaths)
        {
            app.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], context => ServeAsync(context, DashboardAssets.Page)).ExcludeFromDescription();
        }

        app.MapMethods(AssetsPath + "{**file}", [HttpMethods.Get, HttpMethods.Head], context =>
        {
            var file = context.Request.RouteValues["file"] as string ?? "";
            return DashboardAssets.Find(file) is { } asset
                ? ServeAsync(context, asset)
                : Problem.WriteAsync(context, StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No such dashboard file.", $"'{file}' is not one of the dashboard's files.");
        }).ExcludeFromDescription();
        return app;
    }

    // A weak match is enough for a GET (RFC 9110 13.1.2): proxies that compress often weaken the tag; a list or * counts too.
    private static bool Revalidated(HttpRequest request, string etag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag.Equals(etag, StringComparison.Ordinal));

    private static Task ServeAsync(HttpContext context, DashboardAsset asset)
    {
        var response = context.Response;
        var representation = asset.For(context.Request.Headers.AcceptEncoding.ToString());
        response.Headers.Vary = "Accept-Encoding";
        response.Headers.ETag = representation.ETag;
        // Revalidated on every load, so a new version shows at once; unchanged files cost a 304.
        response.Headers.CacheControl = "no-cache";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (Revalidated(context.Request, representation.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        if (representation.ContentEncoding is { } coding)
        {
            response.Headers.ContentEncoding = coding;
        }

        response.ContentLength = representation.Bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(representation.Bytes, context.RequestAborted).AsTask();
    }
}
