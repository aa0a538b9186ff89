using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>Every write carries the epoch its caller passes: on the data, and on its change (the outbox entry, on SQLite).</summary>
public abstract class WriteEpochContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task EachWrite_IsStampedWithTheEpochPassedForIt_NotWithAnyOtherWritesEpoch()
    {
        var analyses = Store.Analyses;
        var kept = Samples.Analysis(1);
        var deleted = Samples.Analysis(2);

        await analyses.SaveAnalysisAsync(kept, epoch: 3);
        await analyses.SaveAnalysisAsync(deleted, epoch: 4);
        var annotation = await analyses.PutAnnotationAsync(kept.Id, 0x1000, Samples.Input("main"), null, epoch: 7);
        await analyses.DeleteAnalysisAsync(deleted.Id, epoch: 5);

        Assert.Equal(7L, annotation.Current!.Epoch);
        Assert.Equal(7L, (await analyses.GetAnnotationAsync(kept.Id, 0x1000))!.Epoch);
        Assert.Equal(
            [(1L, OutboxKinds.AnalysisStored, 3L), (2L, OutboxKinds.AnalysisStored, 4L), (3L, OutboxKinds.AnnotationPut, 7L), (4L, OutboxKinds.AnalysisDeleted, 5L)],
            (await Harness.ReadWholeChangesAsync()).Select(e => (e.Sequence, e.Kind, e.Epoch)));
        Assert.Equal(4L, await Store.Changes.GetLastChangeSequenceAsync());
    }

    [Fact]
    public async Task AWriteOfANewerEpoch_StartsANewLineageSegmentAfterTheVersionItContinuedFrom()
    {
        var analyses = Store.Analyses;
        var analysis = Samples.Analysis(1);
        await analyses.SaveAnalysisAsync(analysis, epoch: 1);
        await analyses.PutAnnotationAsync(analysis.Id, 0x1000, Samples.Input("a"), null, epoch: 1);
        await analyses.PutAnnotationAsync(analysis.Id, 0x1000, Samples.Input("b"), 1, epoch: 1);

        var write = await analyses.PutAnnotationAsync(analysis.Id, 0x1000, Samples.Input("c"), 2, epoch: 2);

        Assert.Equal((3L, 2L, 2L), (write.Current!.Version, write.Current.Epoch, write.Current.BaseVersion));
        Assert.Equal([(1L, 0L), (2L, 2L)], AnnotationAssert.Pairs(write.Current));
    }
}
