using System.Text.Json;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>The OpenAPI document describes every operation's answers: a schema for each, and the problem codes of each error status.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task EveryOperation_ListsAResponseWithASchema_AndEveryErrorResponseIsAProblemDocumentNamingItsCodes()
    {
        await using var region = await TestRegion.StartAsync();

        using var document = JsonDocument.Parse(await region.Client.GetStringAsync("openapi/v1.json"));

        var operations = Operations(document.RootElement).ToList();
        Assert.Contains(operations, o => o.Name == "put /api/analyses/{id}/annotations/{address}");
        Assert.Contains(operations, o => o.Name == "get /health");
        Assert.Contains(operations, o => o.Name == "get /api/regions");
        Assert.Contains(operations, o => o.Name == "post /api/failover");
        Assert.Contains(operations, o => o.Name == "get /api/conflicts");
        Assert.Contains(operations, o => o.Name == "get /api/overview");
        Assert.Contains(operations, o => o.Name == "get /api/failovers");
        Assert.Contains(operations, o => o.Name == "get /api/whoami");
        Assert.DoesNotContain(operations, o => o.Name.Contains("/api/internal", StringComparison.Ordinal) || o.Name.Contains("/api/replicate", StringComparison.Ordinal));
        // The dashboard's page and files are for browsers, not API clients.
        Assert.DoesNotContain(operations, o => o.Name.Contains("/dashboard", StringComparison.Ordinal));
        foreach (var (name, responses) in operations)
        {
            Assert.True(responses.EnumerateObject().Any(r => Schema(r.Value) is not null), $"{name} lists no response with a schema");
            // /health answers its own report with 503 when the region cannot serve; every other error is a problem document.
            foreach (var error in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5' && !(name == "get /health" && r.Name == "503")))
            {
                Assert.True(Schema(error.Value)?.TryGetProperty("$ref", out var reference) == true && reference.GetString()!.EndsWith("/ProblemDocument", StringComparison.Ordinal),
                    $"{name} {error.Name} is not a ProblemDocument");
                Assert.StartsWith("A problem document; code: ", error.Value.GetProperty("description").GetString(), StringComparison.Ordinal);
            }
        }
        var put = operations.Single(o => o.Name == "put /api/analyses/{id}/annotations/{address}").Responses;
        Assert.Contains("VERSION_CONFLICT", put.GetProperty("409").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("PRIMARY_UNAVAILABLE", put.GetProperty("503").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("NOT_REPLICATED", put.GetProperty("503").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("UNAUTHORIZED", put.GetProperty("401").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("TIMEOUT", put.GetProperty("504").GetProperty("description").GetString(), StringComparison.Ordinal);
        var overview = operations.Single(o => o.Name == "get /api/overview").Responses;
        Assert.Contains("BAD_INPUT", overview.GetProperty("400").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("UNAUTHORIZED", overview.GetProperty("401").GetProperty("description").GetString(), StringComparison.Ordinal);
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("RegionsOverview").GetProperty("properties").TryGetProperty("lag_history", out _));
        Assert.True(schemas.GetProperty("WhoAmI").GetProperty("properties").TryGetProperty("keys_required", out _));
        Assert.True(schemas.GetProperty("FailoverEvent").GetProperty("properties").TryGetProperty("epoch", out _));
        Assert.True(schemas.GetProperty("ProblemDocument").GetProperty("properties").TryGetProperty("code", out _));
        Assert.True(schemas.GetProperty("HealthReport").GetProperty("properties").TryGetProperty("accepting_strong_writes", out _));
    }

    private static IEnumerable<(string Name, JsonElement Responses)> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                yield return ($"{operation.Name} {path.Name}", operation.Value.GetProperty("responses"));
            }
        }
    }

    private static JsonElement? Schema(JsonElement response) =>
        response.TryGetProperty("content", out var content) && content.EnumerateObject().FirstOrDefault() is { Value: var media } && media.ValueKind == JsonValueKind.Object
            && media.TryGetProperty("schema", out var schema)
            ? schema
            : null;
}
