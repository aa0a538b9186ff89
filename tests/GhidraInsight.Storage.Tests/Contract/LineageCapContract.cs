using System.Text.Json.Nodes;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// A key written once in each of 70 epochs: its lineage keeps the newest 64 segments, and a write of an epoch older than the
/// first kept segment is reported as lost rather than assumed to be history.
/// </summary>
public abstract class LineageCapContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    private const ulong Address = 0x401000;
    private const string RelayRegion = "ap-south-1";
    private const int Epochs = 70;

    [Fact]
    public async Task ALocalWrite_KeepsTheNewest64Segments()
    {
        var writes = await WriteOncePerEpochAsync();

        // Epoch e wrote version e after version e - 1: segment (e, e - 1). Epoch 65's write was the first over the cap.
        Assert.Equal(Segments(1, 64), AnnotationAssert.Pairs(writes[63]));
        Assert.Equal(Segments(2, 65), AnnotationAssert.Pairs(writes[64]));
        var last = writes[^1];
        Assert.Equal((70L, 70L, 69L), (last.Epoch, last.Version, last.BaseVersion));
        Assert.Equal(Segments(7, 70), AnnotationAssert.Pairs(last));
        AnnotationAssert.Same(last, (await Origin.Store.GetAnnotationAsync(last.AnalysisId, Address))!);
        var payload = JsonNode.Parse((await Origin.ReadWholeOutboxAsync())[^1].Payload)!["lineage"]!.AsArray();
        Assert.Equal(64, payload.Count);
        Assert.Equal(("[7,6]", "[70,69]"), (payload[0]!.ToJsonString(), payload[^1]!.ToJsonString()));
    }

    [Fact]
    public async Task AWriteOfAnEpochOlderThanTheFirstKeptSegment_IsReportedAsLost()
    {
        var writes = await WriteOncePerEpochAsync();
        var outbox = await Origin.ReadWholeOutboxAsync();

        // In order, each write continued the one before it.
        await ShipAsync();
        Assert.Equal(0L, await Replica.Store.CountConflictsAsync());
        var held = (await Replica.Store.GetAnnotationAsync(writes[0].AnalysisId, Address))!;
        AnnotationAssert.Same(writes[^1], held);

        // Epochs 1, 6 and 7's writes again, as a relay would deliver them: only epoch 7 still has a segment.
        OutboxEntry[] late = [outbox[1] with { Sequence = 1 }, outbox[6] with { Sequence = 2 }, outbox[7] with { Sequence = 3 }];
        var result = await Replica.Store.ApplyReplicatedAsync(RelayRegion, late);

        Assert.Equal(0, result.Applied);
        var conflicts = await Replica.Store.ListConflictsAsync(10);
        Assert.Equal([(1L, 1L), (6L, 6L)], conflicts.Select(c => (c.Lost.Epoch, c.Lost.Version)));
        Assert.All(conflicts, c => Assert.Equal((70L, 70L), (c.WonEpoch, c.WonVersion)));
        AnnotationAssert.Same(writes[^1], (await Replica.Store.GetAnnotationAsync(writes[0].AnalysisId, Address))!);
    }

    /// <summary>Epochs 1 to 70 each write the key once, at the version equal to the epoch.</summary>
    private async Task<IReadOnlyList<Annotation>> WriteOncePerEpochAsync()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        var writes = new List<Annotation>();
        for (var epoch = 1; epoch <= Epochs; epoch++)
        {
            Origin.Epoch = epoch;
            var write = await Origin.Store.PutAnnotationAsync(analysis.Id, Address, Samples.Input($"e{epoch}"), epoch - 1);
            Assert.NotEqual(AnnotationWriteStatus.VersionConflict, write.Status);
            writes.Add(write.Current!);
        }

        return writes;
    }

    /// <summary>The segments (e, e - 1) for epochs <paramref name="first"/> to <paramref name="last"/>.</summary>
    private static IReadOnlyList<(long Epoch, long StartsAfterVersion)> Segments(int first, int last) =>
        [.. Enumerable.Range(first, last - first + 1).Select(e => ((long)e, (long)e - 1))];
}
