using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Gateway.Routing;

/// <summary>Sorts a request into a <see cref="RequestKind"/> from its method, path and <c>X-Consistency</c> header.</summary>
internal static class RequestClassifier
{
    /// <summary>The header by which a client asks a read (or an upload) to be served by the primary: <c>X-Consistency: strong</c>.</summary>
    public const string ConsistencyHeader = "X-Consistency";

    private static readonly PathString[] InterRegion = ["/api/replicate", "/api/internal", "/cluster-consensus"];

    public static RequestKind Classify(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (InterRegion.Any(prefix => request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            return RequestKind.Blocked;
        }

        var method = request.Method;
        var idempotent = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
            || (HttpMethods.IsPost(method) && request.Path.Equals("/api/analyze", StringComparison.OrdinalIgnoreCase));
        if (!idempotent)
        {
            return RequestKind.StrongWrite;
        }

        return string.Equals(request.Headers[ConsistencyHeader], "strong", StringComparison.OrdinalIgnoreCase) ? RequestKind.PrimaryOnly : RequestKind.Idempotent;
    }
}
