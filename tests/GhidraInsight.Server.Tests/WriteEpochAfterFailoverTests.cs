using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Server.Tests.Support;
using GhidraInsight.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// Three regions in this process, each a host built exactly as tests build one (<see cref="TestRegion"/>, i.e. the one composition
/// serve uses), forming a real Raft group on loopback. After a switchover the new primary's strong writes carry the new epoch,
/// on the answer, on the stored annotation and on the replicated outbox entry: the epoch travels explicitly from the gate to the
/// store in every host, not only in serve.
/// </summary>
public sealed class WriteEpochAfterFailoverTests
{
    private static readonly string[] Names = ["us-east-1", "eu-west-1", "ap-south-1"];

    [Fact]
    public async Task AfterASwitchover_TheNewPrimaryStampsItsWritesWithTheNewEpoch_EvenWhenTheWriteArrivesAtAnotherRegion()
    {
        var regions = await StartAsync();
        try
        {
            var first = await AcceptingPrimaryAsync(regions);
            var id = await UploadAsync(first);
            var before = await PutAsync(first, id, "before");
            Assert.Equal(1L, before.Epoch);

            var target = regions.First(r => r != first);
            using var switchover = await first.Client.PostAsJsonAsync("api/failover", new SwitchoverRequest(target.Options.Region.CurrentRegion),
                ContractsJsonContext.Default.SwitchoverRequest);
            Assert.Equal(HttpStatusCode.OK, switchover.StatusCode);
            Assert.Same(target, await AcceptingPrimaryAsync(regions));

            // Asked of the old primary, forwarded to the new one.
            var after = await PutAsync(first, id, "after", ifMatch: before.Version);

            Assert.Equal((2L, 2L), (after.Epoch, after.Version));
            Assert.Equal(target.Options.Region.CurrentRegion, after.Region);
            Assert.Equal([[1L, 0L], [2L, 1L]], after.Lineage);
            var stored = await target.Host.Services.GetRequiredService<IAnalysisStore>().GetAnnotationAsync(id, 0x10);
            Assert.Equal(2L, stored!.Epoch);
            var entries = await target.Host.Services.GetRequiredService<IReplicationLog>().ReadOutboxAsync(0, 100);
            Assert.Equal(2L, entries.Single(e => e.Kind == OutboxKinds.AnnotationPut).Epoch);
        }
        finally
        {
            foreach (var region in regions)
            {
                await region.DisposeAsync();
            }
        }
    }

    private static async Task<List<TestRegion>> StartAsync()
    {
        var ports = FreePorts.Take(Names.Length);
        var endpoints = Names.Select((name, i) => (name, new Uri($"http://127.0.0.1:{ports[i]}"))).ToDictionary(p => p.name, p => p.Item2);
        var regions = new List<TestRegion>();
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
        return regions;
    }

    private static async Task<TestRegion> AcceptingPrimaryAsync(IReadOnlyList<TestRegion> regions)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            foreach (var region in regions)
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

    private static async Task<string> UploadAsync(TestRegion region)
    {
        using var response = await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("analysis_id").GetString()!;
    }

    private static async Task<AnnotationBody> PutAsync(TestRegion region, string id, string name, long? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/analyses/{id}/annotations/0x10")
        {
            Content = JsonContent.Create(new { name }),
        };
        if (ifMatch is { } version)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        }
        using var response = await region.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.AnnotationBody))!;
    }
}
