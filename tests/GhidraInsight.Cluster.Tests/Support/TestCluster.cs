using GhidraInsight.Cli.Up;
using GhidraInsight.Configuration;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>
/// Several real regions on loopback, each its own <c>serve</c> process with its own SQLite folder, sharing a secret:
/// the same layout <c>ghidrainsight up</c> makes, with fast health checks so tests do not wait long.
/// </summary>
internal sealed class TestCluster : IDisposable
{
    private TestCluster(string dataDir, List<RegionNode> nodes)
    {
        DataDir = dataDir;
        Nodes = nodes;
    }

    public string DataDir { get; }
    public List<RegionNode> Nodes { get; }
    public RegionNode this[string name] => Nodes.Single(n => n.Name == name);

    public static async Task<TestCluster> StartAsync(params string[] regions)
    {
        var data = Directory.CreateTempSubdirectory("ghidrainsight-cluster-").FullName;
        // Exactly the layout `up` makes, with faster health checks so tests do not wait long.
        var plan = ClusterPlan.Create(data, regions, FreePorts.ConsecutiveBlock(regions.Length));
        var nodes = new List<RegionNode>();
        foreach (var (region, config, options) in plan.Regions)
        {
            var fast = options with { Region = options.Region with { HealthCheckIntervalSeconds = 1, CrossRegionTimeoutSeconds = 2, FailureThreshold = 2 } };
            await File.WriteAllTextAsync(config, ConfigWriter.ToYaml(fast));
            nodes.Add(new RegionNode(region, config, fast.Region.Endpoints[region]));
        }
        var cluster = new TestCluster(data, nodes);
        await Task.WhenAll(nodes.Select(n => n.StartAsync()));
        return cluster;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; the outcome is asserted by the caller.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(50);
        }
        return await condition();
    }

    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }
    }
}
