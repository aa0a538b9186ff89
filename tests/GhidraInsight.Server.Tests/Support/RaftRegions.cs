using System.Net.Http.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Server.Tests.Support;

/// <summary>
/// Three regions in this process, each a host built exactly as tests build one (<see cref="TestRegion"/>), forming a real Raft
/// group on loopback with us-east-1 the configured primary and every region replicating to the others.
/// </summary>
internal sealed class RaftRegions : IAsyncDisposable
{
    public static readonly string[] Names = ["us-east-1", "eu-west-1", "ap-south-1"];

    private RaftRegions(IReadOnlyList<TestRegion> regions) => Regions = regions;

    public IReadOnlyList<TestRegion> Regions { get; }

    public TestRegion this[string name] => Regions.Single(r => r.Options.Region.CurrentRegion == name);

    public static async Task<RaftRegions> StartAsync()
    {
        var ports = FreePorts.Take(Names.Length);
        var endpoints = Names.Select((name, i) => (name, new Uri($"http://127.0.0.1:{ports[i]}"))).ToDictionary(p => p.name, p => p.Item2);
        var regions = new List<TestRegion>();
        try
        {
            for (var i = 0; i < Names.Length; i++)
            {
                var port = ports[i];
                var name = Names[i];
                regions.Add(await TestRegion.StartAsync(options => options with
                {
                    Server = options.Server with { Port = port },
                    Region = new RegionOptions
                    {
                        Enabled = true,
                        CurrentRegion = name,
                        Regions = Names,
                        Endpoints = endpoints,
                        PrimaryRegion = Names[0],
                        ReplicationEnabled = true,
                        ReplicationRegions = [.. Names.Where(n => n != name)],
                        FailoverEnabled = true,
                        HealthCheckIntervalSeconds = 1,
                        CrossRegionTimeoutSeconds = 2,
                        Secret = "a-shared-secret-of-enough-length",
                    },
                }));
            }
        }
        catch
        {
            await new RaftRegions(regions).DisposeAsync();
            throw;
        }

        return new RaftRegions(regions);
    }

    /// <summary>The region that reports itself a primary accepting strong writes (within 30 s).</summary>
    public async Task<TestRegion> AcceptingPrimaryAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            foreach (var region in Regions)
            {
                var health = await region.Client.GetFromJsonAsync("health", ContractsJsonContext.Default.HealthReport);
                if (health!.AcceptingStrongWrites)
                {
                    return region;
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("no region became a primary that accepts strong writes");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var region in Regions)
        {
            await region.DisposeAsync();
        }
    }
}
