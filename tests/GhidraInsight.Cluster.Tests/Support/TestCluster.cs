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
        var secret = Path.Combine(data, "region-secret");
        await File.WriteAllTextAsync(secret, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var first = FreePorts.ConsecutiveBlock(regions.Length);
        var endpoints = regions.Select((r, i) => (r, new Uri($"http://127.0.0.1:{first + i}"))).ToDictionary(p => p.r, p => p.Item2);
        var nodes = new List<RegionNode>();
        foreach (var (region, i) in regions.Select((r, i) => (r, i)))
        {
            var folder = Path.Combine(data, region);
            Directory.CreateDirectory(folder);
            var options = new GhidraOptions
            {
                Server = new ServerOptions { Host = "127.0.0.1", Port = first + i, RateLimitPerMinute = 0 },
                Storage = new StorageOptions { DataDir = folder },
                Region = new RegionOptions
                {
                    Enabled = true,
                    CurrentRegion = region,
                    Regions = regions,
                    Endpoints = endpoints,
                    PrimaryRegion = regions[0],
                    ReplicationEnabled = true,
                    ReplicationRegions = [.. regions.Where(r => r != region)],
                    HealthCheckIntervalSeconds = 1,
                    CrossRegionTimeoutSeconds = 2,
                    FailureThreshold = 2,
                    SecretFile = secret,
                },
            };
            var config = Path.Combine(folder, "config.yaml");
            await File.WriteAllTextAsync(config, ConfigWriter.ToYaml(options));
            nodes.Add(new RegionNode(region, config, endpoints[region]));
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
