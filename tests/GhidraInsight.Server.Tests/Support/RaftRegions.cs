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

    /// <summary>
    /// Asks <paramref name="via"/> to make <paramref name="target"/> the primary and asserts it said it did (200). A 504 says
    /// the outcome is unknown ("it may still take effect": on a loaded machine the Raft leader of a group a second old can
    /// change while the proposal commits); asking again is what that answer tells an operator to do, and is safe: a second
    /// proposal for the same epoch cannot also commit, and one that finds the change done answers 200 as well.
    /// </summary>
    public static async Task SwitchOverAsync(TestRegion via, TestRegion target)
    {
        var request = new SwitchoverRequest(target.Options.Region.CurrentRegion);
        for (var attempt = 1; ; attempt++)
        {
            using var answer = await via.Client.PostAsJsonAsync("api/failover", request, ContractsJsonContext.Default.SwitchoverRequest);
            if (answer.StatusCode == System.Net.HttpStatusCode.GatewayTimeout && attempt < 3)
            {
                continue;
            }

            Assert.True(answer.StatusCode == System.Net.HttpStatusCode.OK, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var region in Regions)
        {
            await region.DisposeAsync();
        }
    }
}
