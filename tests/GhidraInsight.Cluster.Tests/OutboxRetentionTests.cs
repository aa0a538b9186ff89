using System.Net;
using System.Net.Http.Json;
using GhidraInsight.Cluster.Tests.Support;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// The outbox keeps only what some replication target still needs: acknowledged entries are pruned, and a region down past the
/// retention stops holding entries back, is reported, and is resynced from a snapshot when it returns.
/// </summary>
public sealed class OutboxRetentionTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AfterTenThousandReplicatedWrites_TheOutboxHoldsOnlyWhatARegionHasNotAcknowledged()
    {
        using var cluster = await TestCluster.StartAsync("us-east-1", "eu-west-1", "ap-south-1");
        var primary = await cluster.PrimaryAsync();
        var away = cluster.DataNodes.First(n => n != primary);
        var id = await ReplicationTests.UploadAsync(primary, Samples.ProgramElf);
        Assert.True(await TestCluster.EventuallyAsync(async () => await OutboxEntriesAsync(primary) == 0, Soon), "the upload's entry was never pruned");
        away.Kill();

        await WriteAnnotationsAsync(primary, id, count: 10_000);

        // Everything the region still running acknowledged is pruned; what the region that is away has not seen is kept.
        Assert.True(await TestCluster.EventuallyAsync(async () => await OutboxEntriesAsync(primary) == await PendingAsync(primary, away.Name), Soon));
        Assert.True(await PendingAsync(primary, away.Name) >= 10_000, $"{away.Name} should still need every write");

        await away.StartAsync();

        Assert.True(await TestCluster.EventuallyAsync(async () => await OutboxEntriesAsync(primary) == 0, Soon),
            $"the outbox still holds {await OutboxEntriesAsync(primary)} entries");
        Assert.Equal("10000", (await away.Client.GetFromJsonAsync($"api/analyses/{id}/annotations/0x10", ContractsJsonContext.Default.AnnotationBody))!.Name);
    }

    [Fact]
    public async Task ARegionDownPastTheRetention_IsReported_ThenResyncedFromASnapshot_AndEndsIdenticalToTheOthers()
    {
        using var cluster = await TestCluster.StartAsync(["us-east-1", "eu-west-1", "ap-south-1"], region => region with { OutboxMaxEntries = 40 });
        var primary = await cluster.PrimaryAsync();
        var away = cluster.DataNodes.First(n => n != primary);
        var early = await ReplicationTests.UploadAsync(primary, Samples.Variant(1));
        Assert.True(await TestCluster.EventuallyAsync(async () => (await away.Client.GetAsync($"api/analyses/{early}")).StatusCode == HttpStatusCode.OK, Soon));
        away.Kill();

        var ids = new List<string>();
        for (var i = 2; i < 6; i++)
        {
            ids.Add(await ReplicationTests.UploadAsync(primary, Samples.Variant(i)));
        }
        await WriteAnnotationsAsync(primary, ids[0], count: 60);
        using (var deleted = await primary.Client.DeleteAsync($"api/analyses/{early}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.True(await TestCluster.EventuallyAsync(async () => (await HealthAsync(primary)).Replication[away.Name].PastRetention, Soon), primary.Log);
        var health = await HealthAsync(primary);
        Assert.Equal(HealthReport.Degraded, health.Status);
        Assert.Contains($"replication to {away.Name}: behind longer than the outbox retention", health.Error, StringComparison.Ordinal);
        Assert.True(await TestCluster.EventuallyAsync(async () => await OutboxEntriesAsync(primary) == 0, Soon), "pruning did not pass the region that is away");
        Assert.Contains("its entries are being pruned", primary.Log, StringComparison.Ordinal);

        await away.StartAsync();

        Assert.True(await TestCluster.EventuallyAsync(async () => await StateAsync(away) == await StateAsync(primary), Soon),
            $"{away.Name} never caught up:\n{await StateAsync(away)}\nvs\n{await StateAsync(primary)}\n{away.Log}");
        Assert.Equal(HttpStatusCode.NotFound, (await away.Client.GetAsync($"api/analyses/{early}")).StatusCode);
        Assert.True(MetricsText.Sum(await primary.Client.GetStringAsync("metrics"), "ghidrainsight_replication_resyncs_total") >= 1);
        Assert.True(await TestCluster.EventuallyAsync(async () => !(await HealthAsync(primary)).Replication[away.Name].PastRetention, Soon));
        var other = cluster.DataNodes.Single(n => n != primary && n != away);
        Assert.Equal(await StateAsync(primary), await StateAsync(other));
    }

    /// <summary>Writes <paramref name="count"/> versions of one annotation at the primary, eight writers at a time, retrying pauses (503).</summary>
    internal static async Task WriteAnnotationsAsync(RegionNode primary, string id, int count)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) <= count)
            {
                while (true)
                {
                    using var put = await primary.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x{10 + (n % 16):x}", new { name = $"{n}" });
                    if (put.StatusCode != HttpStatusCode.ServiceUnavailable)
                    {
                        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
                        break;
                    }
                    await Task.Delay(50);
                }
            }
        }));
        // The last write lands on 0x10 with the count as its name, so readers can tell they have everything.
        using var last = await primary.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x10", new { name = $"{count}" });
        Assert.True(last.IsSuccessStatusCode);
    }

    private static async Task<HealthReport> HealthAsync(RegionNode node) =>
        (await node.Client.GetFromJsonAsync("health", ContractsJsonContext.Default.HealthReport))!;

    private static async Task<double> OutboxEntriesAsync(RegionNode node) =>
        MetricsText.Sum(await node.Client.GetStringAsync("metrics"), "ghidrainsight_outbox_entries");

    private static async Task<double> PendingAsync(RegionNode node, string target) =>
        (await HealthAsync(node)).Replication[target].Pending;

    /// <summary>Every analysis id with every annotation (address, name, version, epoch), as comparable text.</summary>
    private static async Task<string> StateAsync(RegionNode node)
    {
        var lines = new List<string>();
        var page = await node.Client.GetFromJsonAsync("api/analyses?limit=1000", ContractsJsonContext.Default.AnalysisListPage);
        foreach (var item in page!.Items)
        {
            lines.Add(item.AnalysisId);
            // Replication may delete it between the two reads: the state then simply differs this time.
            using var response = await node.Client.GetAsync($"api/analyses/{item.AnalysisId}/annotations?limit=1000");
            if (!response.IsSuccessStatusCode)
            {
                lines.Add($"  ({(int)response.StatusCode})");
                continue;
            }
            var annotations = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.AnnotationList);
            lines.AddRange(annotations!.Annotations.Select(a => $"  {a.Address} {a.Name} v{a.Version} e{a.Epoch}"));
        }
        return string.Join('\n', lines);
    }
}
