using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// A region whose catch-up needs pruned entries is resynced from a snapshot of another's whole state, then streamed: the
/// snapshot holds analyses, annotations and tombstones, applies with the usual rules, and hands over to streaming at the
/// outbox head it began at.
/// </summary>
public abstract class SnapshotContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task ASnapshotInSmallPages_HoldsEveryAnalysisAnnotationAndTombstoneOnce()
    {
        var (kept, deleted) = await WriteHistoryAsync(Origin);

        var entries = new List<OutboxEntry>();
        string? position = null;
        do
        {
            var page = await Origin.Store.Replication.ReadSnapshotAsync(position, 2);
            Assert.InRange(page.Entries.Count, 0, 2);
            entries.AddRange(page.Entries);
            position = page.Next;
        }
        while (position is not null);

        Assert.Equal([OutboxKinds.AnalysisStored, OutboxKinds.AnalysisStored, OutboxKinds.AnnotationPut, OutboxKinds.AnnotationPut, OutboxKinds.AnalysisDeleted],
            entries.Select(e => e.Kind));
        Assert.Equal(entries.Count, entries.Select(e => (e.Kind, e.Key)).Distinct().Count());
        // The tombstone carries the epoch of the deletion, and the deleted analysis's annotation is gone with it.
        Assert.Contains(entries, e => e.Kind == OutboxKinds.AnalysisDeleted && e.Key == deleted && e.Epoch == 2);
        Assert.Contains(entries, e => e.Kind == OutboxKinds.AnnotationPut && e.Key == OutboxKinds.AnnotationKey(kept, 0x2000) && e.Epoch == 2);
    }

    [Fact]
    public async Task ApplyingASnapshot_MakesTheReplicaEqualToTheOrigin_AndStreamingResumesAfterTheHead()
    {
        var (_, deleted) = await WriteHistoryAsync(Origin);
        // The replica still holds what the origin deleted meanwhile (it was down): the snapshot's tombstone removes it.
        await Replica.Store.SaveAnalysisAsync(Samples.Analysis(2));
        var head = await Origin.Store.GetLastOutboxSequenceAsync();

        var snapshot = await Origin.ReadWholeSnapshotAsync();
        var result = await Replica.Store.Replication.ApplySnapshotAsync(OriginRegion, snapshot, completesThrough: head);

        Assert.Equal(head, result.HighWaterMark);
        Assert.Contains(deleted, result.ChangedAnalysisIds);
        Assert.Equal(await SnapshotAsync(Origin.Store), await SnapshotAsync(Replica.Store));
        var later = Samples.Analysis(3);
        await Origin.Store.SaveAnalysisAsync(later);
        var streamed = await Replica.Store.ApplyReplicatedAsync(OriginRegion, await Origin.ReadWholeOutboxAsync());
        Assert.Equal(1, streamed.Applied);
        Assert.Equal(await SnapshotAsync(Origin.Store), await SnapshotAsync(Replica.Store));
    }

    [Fact]
    public async Task ApplyingTheSameSnapshotTwice_ChangesNothingTheSecondTime_AndNeverLowersTheMark()
    {
        await WriteHistoryAsync(Origin);
        var snapshot = await Origin.ReadWholeSnapshotAsync();
        await Replica.Store.Replication.ApplySnapshotAsync(OriginRegion, snapshot, completesThrough: 9);

        var again = await Replica.Store.Replication.ApplySnapshotAsync(OriginRegion, snapshot, completesThrough: 2);

        Assert.Equal(0, again.Applied);
        Assert.Equal(9L, again.HighWaterMark);
        Assert.Equal(0L, await Replica.Store.CountConflictsAsync());
    }

    [Fact]
    public async Task APageWithoutCompletion_LeavesTheMarkAlone()
    {
        await WriteHistoryAsync(Origin);
        var page = await Origin.Store.Replication.ReadSnapshotAsync(null, 1);

        var result = await Replica.Store.Replication.ApplySnapshotAsync(OriginRegion, page.Entries, completesThrough: null);

        Assert.Equal((1, 0L), (result.Applied, result.HighWaterMark));
    }

    /// <summary>Two analyses (one later deleted), annotations over two epochs; returns the kept and the deleted id.</summary>
    private static async Task<(string Kept, string Deleted)> WriteHistoryAsync(StoreHarness region)
    {
        var kept = Samples.Analysis(1);
        var deleted = Samples.Analysis(2);
        var other = Samples.Analysis(4);
        await region.Store.SaveAnalysisAsync(kept);
        await region.Store.SaveAnalysisAsync(deleted);
        await region.Store.SaveAnalysisAsync(other);
        await region.Store.PutAnnotationAsync(kept.Id, 0x1000, Samples.Input("main"), null);
        await region.Store.PutAnnotationAsync(deleted.Id, 0x1000, Samples.Input("gone"), null);
        region.Epoch = 2;
        await region.Store.PutAnnotationAsync(kept.Id, 0x2000, Samples.Input("init"), null);
        region.Time.Advance(TimeSpan.FromSeconds(1));
        await region.Store.DeleteAnalysisAsync(deleted.Id);
        return (kept.Id, deleted.Id);
    }
}
