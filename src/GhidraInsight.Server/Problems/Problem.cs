using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Server.Problems;

/// <summary>Writes RFC 9457 problem details with a stable <c>code</c>; never a stack trace.</summary>
internal static class Problem
{
    public static IResult Result(int status, string code, string title, string? detail = null) =>
        Results.Json(Body(status, code, title, detail, instance: null), statusCode: status, contentType: "application/problem+json");

    public static Task WriteAsync(HttpContext context, int status, string code, string title, string? detail = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        // Not RequestAborted: after a request timeout that token is already cancelled, and the answer must still go out.
        return context.Response.WriteAsync(JsonSerializer.Serialize(Body(status, code, title, detail, context.Request.Path)), CancellationToken.None);
    }

    private static Dictionary<string, object?> Body(int status, string code, string title, string? detail, string? instance)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = "urn:ghidrainsight:problem:" + code,
            ["title"] = title,
            ["status"] = status,
            ["code"] = code,
        };
        if (detail is not null)
        {
            body["detail"] = detail;
        }
        if (instance is not null)
        {
            body["instance"] = instance;
        }
        return body;
    }
}
