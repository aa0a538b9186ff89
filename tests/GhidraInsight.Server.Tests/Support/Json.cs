using System.Text.Json.Nodes;

namespace GhidraInsight.Server.Tests.Support;

internal static class Json
{
    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty JSON body");

    /// <summary>Asserts a problem document: status, content type and stable code.</summary>
    public static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(code, (string?)problem["code"]);
        Assert.Equal(status, (int?)problem["status"]);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return problem;
    }
}
