using System.Net.Http.Json;
using System.Text.Json;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Server.Tests.Support;
using GhidraInsight.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// Three regions in this process (<see cref="RaftRegions"/>, each built as tests build one, i.e. the one composition serve uses),
/// forming a real Raft group on loopback. After a switchover the new primary's strong writes carry the new epoch,
/// on the answer, on the stored annotation and on the replicated outbox entry: the epoch travels explicitly from the gate to the
/// store in every host, not only in serve.
/// </summary>
public sealed class WriteEpochAfterFailoverTests
{
    [Fact]
    public async Task AfterASwitchover_TheNewPrimaryStampsItsWritesWithTheNewEpoch_EvenWhenTheWriteArrivesAtAnotherRegion()
    {
        await using var group = await RaftRegions.StartAsync();
        var first = await group.AcceptingPrimaryAsync();
        var id = await UploadAsync(first);
        var before = await PutAsync(first, id, "before");
        Assert.Equal(1L, before.Epoch);

        var target = group.Regions.First(r => r != first);
        await RaftRegions.SwitchOverAsync(first, target);
        Assert.Same(target, await group.AcceptingPrimaryAsync());

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
