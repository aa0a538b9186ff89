using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace GhidraInsight.Server.Analyses;

/// <summary>
/// Serves a stored analysis as it was stored, with the serving region added as the first property — no parse and
/// re-serialise on the hot read path.
/// </summary>
internal static class AnalysisJsonResponse
{
    public static IResult Create(string storedJson, string region, int statusCode = StatusCodes.Status200OK)
    {
        var body = new StringBuilder(storedJson.Length + region.Length + 16)
            .Append("{\"region\":")
            .Append(JsonSerializer.Serialize(region))
            .Append(storedJson.Length > 2 ? "," : "")
            .Append(storedJson, 1, storedJson.Length - 1)
            .ToString();
        return Results.Text(body, "application/json", Encoding.UTF8, statusCode);
    }
}
