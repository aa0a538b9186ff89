using System.Text.Json.Nodes;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>
/// A region process the fault workload writes to and checks: one <see cref="RegionNode"/> of a <see cref="TestCluster"/>, or one
/// region that <c>up</c> runs (<see cref="UpRegion"/>).
/// </summary>
internal interface IRegionUnderTest
{
    string Name { get; }

    HttpClient Client { get; }

    /// <summary>Whether the region process runs (a killed one is not written to).</summary>
    bool Running { get; }

    /// <summary>The process id, which changes with each restart.</summary>
    int Pid { get; }

    /// <summary>What the process logged, for failure messages.</summary>
    string Log { get; }
}

internal static class RegionUnderTestExtensions
{
    /// <summary>The region's <c>/health</c> body, or null when it does not answer within a second.</summary>
    public static async Task<JsonObject?> HealthAsync(this IRegionUnderTest region)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            using var response = await region.Client.GetAsync("health", deadline.Token);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(deadline.Token)) as JsonObject;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
