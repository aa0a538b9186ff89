using GhidraInsight.Cli.Up;
using GhidraInsight.Configuration;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>
/// Several real regions on loopback, each its own <c>serve</c> process with its own SQLite folder, sharing a secret:
/// the same layout <c>ghidrainsight up</c> makes, with fast health checks so tests do not wait long.
/// </summary>
internal sealed class TestCluster : IDisposable
{
    private readonly List<RegionProxy> _proxies = [];

    private TestCluster(string dataDir, List<RegionNode> nodes)
    {
        DataDir = dataDir;
        Nodes = nodes;
    }

    public string DataDir { get; }

    /// <summary>The links between regions a proxied cluster can cut (empty and unused otherwise).</summary>
    public LinkCuts Cuts { get; } = new();
    public List<RegionNode> Nodes { get; }
    public RegionNode this[string name] => Nodes.Single(n => n.Name == name);

    /// <summary>The proxy in front of <paramref name="region"/> in a proxied cluster.</summary>
    public RegionProxy Proxy(string region) => _proxies.Single(p => p.Region == region);

    /// <summary>The regions that hold data (every node but a witness).</summary>
    public IEnumerable<RegionNode> DataNodes => Nodes.Where(n => !n.IsWitness);

    public static Task<TestCluster> StartAsync(params string[] regions) => StartAsync(regions, adjust: null);

    /// <summary>
    /// Starts the regions (options changed by <paramref name="adjust"/>, e.g. failover off) and waits until the primary accepts
    /// strong writes, so a test's first write does not race the first election.
    /// </summary>
    public static Task<TestCluster> StartAsync(string[] regions, Func<RegionOptions, RegionOptions>? adjust) => StartAsync(regions, adjust, proxied: false);

    /// <summary>
    /// Like <see cref="StartAsync(string[], Func{RegionOptions, RegionOptions}?)"/>, but the regions reach each other only through a
    /// <see cref="RegionProxy"/> per region, so <see cref="Cuts"/> can partition them; tests still reach every region directly.
    /// </summary>
    public static Task<TestCluster> StartProxiedAsync(string[] regions, Func<RegionOptions, RegionOptions>? adjust = null) => StartAsync(regions, adjust, proxied: true);

    /// <summary>Like <see cref="StartAsync(string[])"/>, with <paramref name="seed"/> run on each region's (name, data folder) before any region starts.</summary>
    public static Task<TestCluster> StartSeededAsync(string[] regions, Func<string, string, Task> seed) => StartAsync(regions, adjust: null, proxied: false, seed: seed);

    /// <summary>
    /// Two (or more) regions plus a witness named <c>witness</c>: a third voting member that stores nothing, started like a
    /// region with <c>serve</c>. The witness is the last of <see cref="Nodes"/>.
    /// </summary>
    public static async Task<TestCluster> StartWithWitnessAsync(string[] regions, Func<RegionOptions, RegionOptions>? adjust = null)
    {
        const string witness = "witness";
        var witnessPort = FreePorts.ConsecutiveBlock(1);
        var witnessEndpoint = new Uri($"http://127.0.0.1:{witnessPort}");
        RegionOptions WithWitness(RegionOptions region)
        {
            // With the witness the group has three voters, so automatic failover is safe and on.
            var adjusted = region with { Witness = witness, FailoverEnabled = true, Endpoints = new Dictionary<string, Uri>(region.Endpoints) { [witness] = witnessEndpoint } };
            return adjust?.Invoke(adjusted) ?? adjusted;
        }
        return await StartAsync(regions, WithWitness, proxied: false, witness: (witness, witnessPort));
    }

    private static async Task<TestCluster> StartAsync(string[] regions, Func<RegionOptions, RegionOptions>? adjust, bool proxied, (string Name, int Port)? witness = null,
        Func<string, string, Task>? seed = null)
    {
        var data = Directory.CreateTempSubdirectory("ghidrainsight-cluster-").FullName;
        // Exactly the layout `up` makes, with faster health checks so tests do not wait long.
        var first = FreePorts.ConsecutiveBlock(proxied ? 2 * regions.Length : regions.Length);
        var plan = ClusterPlan.Create(data, regions, first);
        var proxyPort = regions.Select((r, i) => (r, first + regions.Length + i)).ToDictionary(p => p.r, p => p.Item2);
        var nodes = new List<RegionNode>();
        foreach (var (region, config, options) in plan.Regions)
        {
            var quick = options.Region with { HealthCheckIntervalSeconds = 1, CrossRegionTimeoutSeconds = 2, FailureThreshold = 2 };
            if (proxied)
            {
                quick = quick with { Endpoints = regions.ToDictionary(r => r, r => new Uri($"http://127.0.0.1:{proxyPort[r]}")) };
            }
            var fast = options with { Region = adjust?.Invoke(quick) ?? quick };
            await File.WriteAllTextAsync(config, ConfigWriter.ToYaml(fast));
            if (seed is not null)
            {
                await seed(region, options.Storage.DataDir);
            }
            nodes.Add(new RegionNode(region, config, new Uri($"http://127.0.0.1:{options.Server.Port}")));
        }
        if (witness is { } w)
        {
            var (_, _, template) = plan.Regions[0];
            var folder = Path.Combine(data, w.Name);
            Directory.CreateDirectory(folder);
            var quick = template.Region with { HealthCheckIntervalSeconds = 1, CrossRegionTimeoutSeconds = 2, FailureThreshold = 2, CurrentRegion = w.Name };
            var options = template with
            {
                Server = template.Server with { Port = w.Port },
                Storage = template.Storage with { DataDir = folder },
                Region = adjust!.Invoke(quick) with { CurrentRegion = w.Name, ReplicationEnabled = false, ReplicationRegions = [] },
            };
            var config = Path.Combine(folder, "config.yaml");
            await File.WriteAllTextAsync(config, ConfigWriter.ToYaml(options));
            nodes.Add(new RegionNode(w.Name, config, new Uri($"http://127.0.0.1:{w.Port}"), isWitness: true));
        }
        var cluster = new TestCluster(data, nodes);
        if (proxied)
        {
            foreach (var node in nodes)
            {
                cluster._proxies.Add(new RegionProxy(node.Name, proxyPort[node.Name], node.Endpoint.Port, cluster.Cuts));
            }
        }
        await Task.WhenAll(nodes.Select(n => n.StartAsync()));
        if (!await EventuallyAsync(async () => await cluster.AcceptingPrimaryAsync() is not null, TimeSpan.FromSeconds(30)))
        {
            cluster.Dispose();
            throw new InvalidOperationException("no region became a primary that accepts strong writes: " + string.Join("\n", nodes.Select(n => n.Log)));
        }
        return cluster;
    }

    /// <summary>The running region (other than <paramref name="except"/>) that reports accepting strong writes on <c>/health</c>, or null.</summary>
    public async Task<RegionNode?> AcceptingPrimaryAsync(RegionNode? except = null)
    {
        foreach (var node in DataNodes.Where(n => n.Running && n != except))
        {
            if (await node.HealthAsync() is { } health && (bool?)health["accepting_strong_writes"] == true)
            {
                return node;
            }
        }
        return null;
    }

    /// <summary>Waits up to 30 s for a region other than <paramref name="except"/> to accept strong writes; fails the test with every log otherwise.</summary>
    public async Task<RegionNode> PrimaryAsync(RegionNode? except = null)
    {
        RegionNode? primary = null;
        Assert.True(await EventuallyAsync(async () => (primary = await AcceptingPrimaryAsync(except)) is not null, TimeSpan.FromSeconds(30)),
            string.Join("\n", Nodes.Select(n => $"--- {n.Name}\n{n.Log}")));
        return primary!;
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
        foreach (var proxy in _proxies)
        {
            proxy.Dispose();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
