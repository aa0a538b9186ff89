using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

public abstract class ReplicationConflictContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    private const string ThirdRegion = "ap-south-1";

    [Fact]
    public async Task ALateStoredEntryOlderThanADelete_DoesNotResurrectTheAnalysis()
    {
        var analysis = Samples.Analysis(1);
        var third = await StartRegionAsync();
        await third.Store.SaveAnalysisAsync(analysis);
        await Origin.Store.SaveAnalysisAsync(analysis);
        Origin.Time.Advance(TimeSpan.FromMinutes(1));
        await Origin.Store.DeleteAnalysisAsync(analysis.Id);
        await ShipAsync();

        var late = await Replica.Store.ApplyReplicatedAsync(ThirdRegion, await third.ReadWholeOutboxAsync());

        Assert.Equal((1L, 0), (late.HighWaterMark, late.Applied));
        Assert.Null(await Replica.Store.GetAnalysisAsync(analysis.Id));
        Assert.Equal(1, await Replica.CountInSnapshotAsync(OutboxKinds.AnalysisDeleted));
    }

    [Fact]
    public async Task AReUploadAfterADelete_ComesBackEverywhere()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        Origin.Time.Advance(TimeSpan.FromMinutes(1));
        await Origin.Store.DeleteAnalysisAsync(analysis.Id);
        await ShipAsync();
        Origin.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(await Origin.Store.SaveAnalysisAsync(analysis));
        var result = await ShipAsync();

        Assert.Equal(1, result.Applied);
        var stored = await Replica.Store.GetAnalysisAsync(analysis.Id);
        Assert.Equal(Origin.Time.GetUtcNow(), stored?.CreatedAt);
        Assert.Equal(0, await Origin.CountInSnapshotAsync(OutboxKinds.AnalysisDeleted));
        Assert.Equal(0, await Replica.CountInSnapshotAsync(OutboxKinds.AnalysisDeleted));
    }

    [Fact]
    public async Task ALocalDelete_WritesATombstoneThatStopsAnOlderReplicatedCopy()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        await Replica.Store.SaveAnalysisAsync(analysis);
        Replica.Time.Advance(TimeSpan.FromMinutes(1));
        await Replica.Store.DeleteAnalysisAsync(analysis.Id);

        var result = await ShipAsync();

        Assert.Equal(0, result.Applied);
        Assert.Null(await Replica.Store.GetAnalysisAsync(analysis.Id));
        var tombstone = Assert.Single(await Replica.ReadWholeSnapshotAsync(), e => e.Kind == OutboxKinds.AnalysisDeleted && e.Key == analysis.Id);
        Assert.Equal(Replica.Time.GetUtcNow(), tombstone.CreatedAt);
    }

    [Fact]
    public async Task AnAnnotationFromAnOlderEpoch_DoesNotOverwriteOneFromANewerEpoch()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        await Origin.Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("v1"), null);
        await Origin.Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("v2"), null);
        await Replica.Store.ApplyReplicatedAsync(OriginRegion, await Origin.ReadWholeOutboxAsync());
        await Origin.Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("old primary v3"), null);

        // Failover: eu-west-1 becomes primary at epoch 2 and writes version 3 before the old primary's v3 arrives.
        Replica.Epoch = 2;
        await Replica.Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("new primary v3"), 2);
        var stale = await ShipAsync();

        Assert.Equal(0, stale.Applied);
        var kept = Assert.Single(await Replica.Store.GetAnnotationsAsync(analysis.Id));
        Assert.Equal(("new primary v3", 3L, 2L, 2L), (kept.Name, kept.Version, kept.Epoch, kept.BaseVersion));
        var conflict = Assert.Single(await Replica.Store.ListConflictsAsync(10));
        Assert.Equal((1L, 3L, 2L, 3L), (conflict.Lost.Epoch, conflict.Lost.Version, conflict.WonEpoch, conflict.WonVersion));

        // A third region that saw the old primary's v3 first still converges on the newer epoch.
        var third = await StartRegionAsync();
        await third.Store.ApplyReplicatedAsync(OriginRegion, await Origin.ReadWholeOutboxAsync());
        var newer = await third.Store.ApplyReplicatedAsync(ReplicaRegion, await Replica.ReadWholeOutboxAsync());
        Assert.Equal(1, newer.Applied);
        Assert.Equal(await SnapshotAsync(Replica.Store), await SnapshotAsync(third.Store));
        Assert.Equal(1L, await third.Store.CountConflictsAsync());
    }

    [Fact]
    public async Task AnAnnotationWithAnOlderVersion_DoesNotOverwriteANewerOne()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        await Origin.Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("v1"), null);
        Origin.Time.Advance(TimeSpan.FromSeconds(5));
        await Origin.Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("v2", "kept"), null);
        await ShipAsync();
        var v1 = (await Origin.ReadWholeOutboxAsync())[1];

        var result = await Replica.Store.ApplyReplicatedAsync(ThirdRegion, [v1 with { Sequence = 1 }]);

        Assert.Equal(0, result.Applied);
        var kept = Assert.Single(await Replica.Store.GetAnnotationsAsync(analysis.Id));
        Assert.Equal(("v2", 2L, Origin.Time.GetUtcNow()), (kept.Name, kept.Version, kept.UpdatedAt));
        Assert.Equal(["kept"], kept.Tags);
    }

    [Fact]
    public async Task AnAnnotationForAnAnalysisNotStoredHere_IsSkipped()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        await Origin.Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("orphan"), null);
        var annotationOnly = (await Origin.ReadWholeOutboxAsync()).Skip(1).ToList();

        var result = await Replica.Store.ApplyReplicatedAsync(OriginRegion, annotationOnly);

        Assert.Equal((2L, 0), (result.HighWaterMark, result.Applied));
        Assert.Equal(0, await Replica.CountInSnapshotAsync(OutboxKinds.AnnotationPut));
    }
}
