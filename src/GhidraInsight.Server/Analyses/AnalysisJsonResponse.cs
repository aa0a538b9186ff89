using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Server.Analyses;

/// <summary>
/// The response body of a stored analysis: the JSON exactly as stored with the serving region added as the first
/// property (then the analysis's <c>"name"</c> when it has one, and <c>"stale": true</c> when an older engine made the result),
/// encoded once when it enters the cache, so a read costs a copy and no parse or re-serialisation. The name is the upload's,
/// not the engine's: the stored result stays a function of the bytes alone.
/// </summary>
internal static class AnalysisJsonResponse
{
    public static byte[] Encode(string storedJson, string region, string? name, bool stale)
    {
        var body = new StringBuilder(storedJson.Length + region.Length + (name?.Length ?? 0) + 48)
            .Append("{\"region\":")
            .Append(JsonSerializer.Serialize(region));
        if (name is not null)
        {
            body.Append(",\"name\":").Append(JsonSerializer.Serialize(name));
        }
        body
            .Append(stale ? ",\"stale\":true" : "")
            .Append(storedJson.Length > 2 ? "," : "")
            .Append(storedJson, 1, storedJson.Length - 1);
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    /// <summary>The body, gzip-compressed when the client accepts it (a large analysis shrinks about eightfold).</summary>
    public static IResult Create(ServedAnalysis analysis, HttpContext context)
    {
        context.Response.Headers.Vary = "Accept-Encoding";
        if (AcceptsGzip(context.Request))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            return Results.Bytes(analysis.GzipBody, "application/json");
        }
        return Results.Bytes(analysis.Body, "application/json");
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            foreach (var part in (value ?? "").Split(','))
            {
                var coding = part.Split(';');
                if (coding[0].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase) && !(coding.Length > 1 && coding[1].Replace(" ", "", StringComparison.Ordinal) is "q=0" or "q=0.0"))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
