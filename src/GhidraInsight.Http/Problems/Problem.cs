using System.Text.Json;
using GhidraInsight.Http.Contracts;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Http.Problems;

/// <summary>Answers with an RFC 9457 <see cref="ProblemDocument"/> carrying a stable <c>code</c>; never a stack trace.</summary>
public static class Problem
{
    /// <summary>The media type of every problem answer.</summary>
    public const string ContentType = "application/problem+json";

    private static readonly object CodeKey = new();

    /// <summary>A problem answer for an endpoint to return.</summary>
    public static IResult Result(int status, string code, string title, string? detail = null) =>
        new ProblemResult(Document(status, code, title, detail, instance: null));

    /// <summary>The problem code this request was answered with, when it was a problem (for the failure's log line).</summary>
    public static string? CodeOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(CodeKey, out var code) ? code as string : null;
    }

    /// <summary>Writes a problem answer from middleware (even after a request timeout cancelled the request's token).</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string title, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[CodeKey] = code;
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        var body = JsonSerializer.SerializeToUtf8Bytes(Document(status, code, title, detail, context.Request.Path), ContractsJsonContext.Default.ProblemDocument);
        // Not RequestAborted: after a request timeout that token is already cancelled, and the answer must still go out.
        return context.Response.Body.WriteAsync(body, CancellationToken.None).AsTask();
    }

    /// <summary>The document itself: <c>type</c> is <c>urn:ghidrainsight:problem:CODE</c>.</summary>
    public static ProblemDocument Document(int status, string code, string title, string? detail, string? instance) =>
        new("urn:ghidrainsight:problem:" + code, title, status, code, detail, instance);

    /// <summary>The problem document in an answer's body, or null when the body is not one (another server, a proxy's page).</summary>
    public static ProblemDocument? TryParse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, ContractsJsonContext.Default.ProblemDocument) is { Code.Length: > 0 } problem ? problem : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The answer <see cref="Result"/> returns: the document as JSON, its code noted on the request on the way out.</summary>
    private sealed class ProblemResult(ProblemDocument document) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => document.Status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Items[CodeKey] = document.Code;
            return Results.Json(document, ContractsJsonContext.Default.ProblemDocument, ContentType, document.Status).ExecuteAsync(httpContext);
        }
    }
}
