using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

public abstract class ReplicationApplyContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task ApplyingAMixedOutbox_YieldsTheSameAnalysesAndAnnotationsWithoutBinariesOrOutboxEntries()
    {
        var ids = await WriteMixedHistoryAsync();
        var entries = await Origin.ReadWholeOutboxAsync();

        var result = await ShipAsync();

        Assert.Equal(entries[^1].Sequence, result.HighWaterMark);
        Assert.Equal(entries.Count, result.Applied);
        Assert.Equal(ids.Order(StringComparer.Ordinal), result.ChangedAnalysisIds.Order(StringComparer.Ordinal));
        var expected = await SnapshotAsync(Origin.Store);
        Assert.Equal(3, (await Origin.Store.ListAnalysesAsync(100, null)).Count);
        Assert.Equal(expected, await SnapshotAsync(Replica.Store));
        Assert.Empty(await Replica.ReadWholeOutboxAsync());
        var replicated = (await Replica.Store.GetAnalysisAsync(ids[0]))!;
        Assert.False(replicated.HasBinary);
        Assert.Null(await Replica.Store.GetBinaryAsync(ids[0]));
        foreach (var summary in await Replica.Store.ListAnalysesAsync(100, null))
        {
            Assert.Null(await Replica.Store.GetBinaryAsync(summary.Id));
        }
        Assert.Null(await Replica.Store.GetAnalysisAsync(ids[2]));
    }

    [Fact]
    public async Task ApplyingTheSameBatchTwice_ChangesNothingTheSecondTime()
    {
        await WriteMixedHistoryAsync();
        var first = await ShipAsync();
        var afterFirst = await SnapshotAsync(Replica.Store);

        var second = await ShipAsync();

        Assert.Equal(0, second.Applied);
        Assert.Empty(second.ChangedAnalysisIds);
        Assert.Equal(first.HighWaterMark, second.HighWaterMark);
        Assert.Equal(first.HighWaterMark, await Replica.Store.GetHighWaterMarkAsync(OriginRegion));
        Assert.Equal(afterFirst, await SnapshotAsync(Replica.Store));
    }

    [Fact]
    public async Task ApplyingOverlappingChunks_ConvergesToTheSameStateAsOneBatch()
    {
        await WriteMixedHistoryAsync();
        var entries = await Origin.ReadWholeOutboxAsync();

        var applied = 0;
        for (var start = 0; start < entries.Count; start += 3)
        {
            var chunk = entries.Skip(start).Take(5).ToList();
            applied += (await Replica.Store.ApplyReplicatedAsync(OriginRegion, chunk)).Applied;
        }

        Assert.Equal(entries.Count, applied);
        Assert.Equal(entries[^1].Sequence, await Replica.Store.GetHighWaterMarkAsync(OriginRegion));
        Assert.Equal(await SnapshotAsync(Origin.Store), await SnapshotAsync(Replica.Store));
    }

    [Fact]
    public async Task ApplyingABatchOutOfOrder_AppliesItInSequenceOrder()
    {
        await WriteMixedHistoryAsync();
        var entries = await Origin.ReadWholeOutboxAsync();

        var result = await Replica.Store.ApplyReplicatedAsync(OriginRegion, entries.Reverse().ToList());

        Assert.Equal(entries.Count, result.Applied);
        Assert.Equal(await SnapshotAsync(Origin.Store), await SnapshotAsync(Replica.Store));
    }

    [Fact]
    public async Task AnUnknownKind_IsSkippedButTheMarkStillPassesIt()
    {
        await Origin.Store.SaveAnalysisAsync(Samples.Analysis(1));
        var entries = (await Origin.ReadWholeOutboxAsync()).ToList();
        entries.Add(new OutboxEntry(2, "analysis.archived", "whatever", "{}", 1, Origin.Time.GetUtcNow()));

        var result = await Replica.Store.ApplyReplicatedAsync(OriginRegion, entries);

        Assert.Equal((2L, 1), (result.HighWaterMark, result.Applied));
        Assert.Equal(1L, await Replica.Store.CountAnalysesAsync());
    }

    [Fact]
    public async Task HighWaterMarks_AreKeptPerOriginAndSurviveReopen()
    {
        await WriteMixedHistoryAsync();
        var result = await ShipAsync();

        await Replica.ReopenAsync();

        Assert.Equal(result.HighWaterMark, await Replica.Store.GetHighWaterMarkAsync(OriginRegion));
        Assert.Equal(0L, await Replica.Store.GetHighWaterMarkAsync("ap-south-1"));
        Assert.Equal(0, (await ShipAsync()).Applied);
    }

    [Fact]
    public async Task AMalformedPayload_RollsBackTheWholeBatch()
    {
        await Origin.Store.SaveAnalysisAsync(Samples.Analysis(1));
        var entries = (await Origin.ReadWholeOutboxAsync()).ToList();
        entries.Add(new OutboxEntry(2, OutboxKinds.AnalysisDeleted, "x", """{"id":"x"}""", 1, Origin.Time.GetUtcNow()));

        await Assert.ThrowsAsync<InvalidDataException>(() => Replica.Store.ApplyReplicatedAsync(OriginRegion, entries));

        Assert.Equal(0L, await Replica.Store.CountAnalysesAsync());
        Assert.Equal(0L, await Replica.Store.GetHighWaterMarkAsync(OriginRegion));
    }

    /// <summary>Saves, annotation puts (a high address, an update, a conflict) and a delete; returns the three ids.</summary>
    private async Task<IReadOnlyList<string>> WriteMixedHistoryAsync()
    {
        var a = Samples.Analysis(1);
        var b = Samples.Analysis(2, withBinary: false);
        var c = Samples.Analysis(3);
        var d = Samples.Analysis(4);
        await Origin.Store.SaveAnalysisAsync(a);
        Origin.Time.Advance(TimeSpan.FromSeconds(1));
        await Origin.Store.SaveAnalysisAsync(b);
        await Origin.Store.SaveAnalysisAsync(c);
        await Origin.Store.PutAnnotationAsync(a.Id, 0x401000, Samples.Input("main", "entry"), null);
        Origin.Time.Advance(TimeSpan.FromSeconds(1));
        await Origin.Store.PutAnnotationAsync(a.Id, 0x401000, Samples.Input("start", "entry", "hot"), 1);
        await Origin.Store.PutAnnotationAsync(a.Id, 0x401000, Samples.Input("stale"), 1);
        await Origin.Store.PutAnnotationAsync(b.Id, 0xffffffffffff0000, new AnnotationInput(null, null, []), 0);
        await Origin.Store.PutAnnotationAsync(c.Id, 0x10, Samples.Input("doomed"), null);
        Origin.Time.Advance(TimeSpan.FromSeconds(1));
        await Origin.Store.DeleteAnalysisAsync(c.Id);
        await Origin.Store.SaveAnalysisAsync(d);
        return [a.Id, b.Id, c.Id, d.Id];
    }
}
