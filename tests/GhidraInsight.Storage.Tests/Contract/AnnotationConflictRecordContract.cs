using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// Failover scenarios: us-east-1 is the primary of epoch 1, eu-west-1 takes over as epoch 2 after replicating v1 and v2, so
/// its chain has the lineage (1, 0), (2, 2). Whatever the old primary acknowledged afterwards loses, and must end up as a conflict record
/// rather than vanish. <see cref="AnnotationLineageTests"/> covers lost writes whose version the new chain reached too.
/// </summary>
public abstract class AnnotationConflictRecordContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    private const ulong Address = 0x401000;
    private const string RelayRegion = "ap-south-1";

    [Fact]
    public async Task AnOldEpochWriteArrivingAfterTheNewEpochsWrite_IsRecordedOnceAndLeavesTheAnnotation()
    {
        var id = await ReplicateTwoVersionsAsync();
        Origin.Time.Advance(TimeSpan.FromSeconds(1));
        var lost = (await Origin.Store.PutAnnotationAsync(id, Address, Samples.Input("old primary v3", "acked"), 2)).Current!;
        await FailOverAsync(id, "new primary v3", expectedVersion: 2);
        Replica.Time.Advance(TimeSpan.FromMinutes(1));

        var result = await ShipAsync();

        Assert.Equal(0, result.Applied);
        Assert.Empty(result.ChangedAnalysisIds);
        var kept = Assert.Single(await Replica.Store.GetAnnotationsAsync(id));
        Assert.Equal(("new primary v3", 3L, 2L, 2L), (kept.Name, kept.Version, kept.Epoch, kept.BaseVersion));
        Assert.Equal([(1L, 0L), (2L, 2L)], AnnotationAssert.Pairs(kept));
        var conflict = Assert.Single(await Replica.Store.ListConflictsAsync(10));
        Assert.Equal(
            ("annotation", id, Address, 2L, 3L, OriginRegion, Replica.Time.GetUtcNow()),
            (conflict.Kind, conflict.AnalysisId, conflict.Address, conflict.WonEpoch, conflict.WonVersion, conflict.ReportedBy, conflict.RecordedAt));
        AnnotationAssert.Same(lost, conflict.Lost);
        Assert.Equal(("old primary v3", 3L, 1L, 0L), (conflict.Lost.Name, conflict.Lost.Version, conflict.Lost.Epoch, conflict.Lost.BaseVersion));
        Assert.Equal([(1L, 0L)], AnnotationAssert.Pairs(conflict.Lost));

        // The same batch again, then the same entries under a mark that does not cover them (as a relay would deliver them).
        Assert.Equal(0, (await ShipAsync()).Applied);
        Assert.Equal(0, (await Replica.Store.ApplyReplicatedAsync(RelayRegion, await Origin.ReadWholeOutboxAsync())).Applied);

        Assert.Equal(1L, await Replica.Store.CountConflictsAsync());
        var still = Assert.Single(await Replica.Store.ListConflictsAsync(10));
        Assert.Equal((conflict.Id, OriginRegion), (still.Id, still.ReportedBy));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ANewEpochWriteWithTheSameOrALowerVersion_OverwritesAndRecordsTheOldOneAsAConflict(int oldPrimaryWrites)
    {
        var id = await ReplicateTwoVersionsAsync();
        Annotation lost = null!;
        for (var i = 1; i <= oldPrimaryWrites; i++)
        {
            lost = (await Origin.Store.PutAnnotationAsync(id, Address, Samples.Input($"old primary v{2 + i}"), null)).Current!;
        }

        await FailOverAsync(id, "new primary v3", expectedVersion: 2);
        Origin.Time.Advance(TimeSpan.FromMinutes(1));

        var result = await Origin.Store.ApplyReplicatedAsync(ReplicaRegion, await Replica.ReadWholeOutboxAsync());

        Assert.Equal(1, result.Applied);
        Assert.Equal([id], result.ChangedAnalysisIds);
        var kept = Assert.Single(await Origin.Store.GetAnnotationsAsync(id));
        Assert.Equal(("new primary v3", 3L, 2L, 2L), (kept.Name, kept.Version, kept.Epoch, kept.BaseVersion));
        Assert.Equal([(1L, 0L), (2L, 2L)], AnnotationAssert.Pairs(kept));
        var conflict = Assert.Single(await Origin.Store.ListConflictsAsync(10));
        Assert.Equal(
            ("annotation", id, Address, 2L, 3L, ReplicaRegion, Origin.Time.GetUtcNow()),
            (conflict.Kind, conflict.AnalysisId, conflict.Address, conflict.WonEpoch, conflict.WonVersion, conflict.ReportedBy, conflict.RecordedAt));
        AnnotationAssert.Same(lost, conflict.Lost);
        Assert.Equal(($"old primary v{2 + oldPrimaryWrites}", 2L + oldPrimaryWrites, 1L), (conflict.Lost.Name, conflict.Lost.Version, conflict.Lost.Epoch));
    }

    [Fact]
    public async Task AnOlderVersionOfTheSameEpochArrivingLate_RecordsNoConflict()
    {
        var id = await ReplicateTwoVersionsAsync();
        var v1 = (await Origin.ReadWholeOutboxAsync())[1];

        var result = await Replica.Store.ApplyReplicatedAsync(RelayRegion, [v1 with { Sequence = 1 }]);

        Assert.Equal(0, result.Applied);
        var kept = Assert.Single(await Replica.Store.GetAnnotationsAsync(id));
        Assert.Equal(("v2", 2L, 1L), (kept.Name, kept.Version, kept.Epoch));
        Assert.Equal(0L, await Replica.Store.CountConflictsAsync());
    }

    [Fact]
    public async Task ANewEpochWriteThatDescendsFromTheStoredOne_ReplacesItWithoutAConflict()
    {
        var id = await ReplicateTwoVersionsAsync();
        await FailOverAsync(id, "new primary v3", expectedVersion: 2);
        var originSequence = await Origin.Store.GetLastOutboxSequenceAsync();

        var result = await Origin.Store.ApplyReplicatedAsync(ReplicaRegion, await Replica.ReadWholeOutboxAsync());

        Assert.Equal(1, result.Applied);
        var current = Assert.Single(await Origin.Store.GetAnnotationsAsync(id));
        Assert.Equal(("new primary v3", 3L, 2L, 2L), (current.Name, current.Version, current.Epoch, current.BaseVersion));
        Assert.Equal([(1L, 0L), (2L, 2L)], AnnotationAssert.Pairs(current));
        Assert.Equal(0L, await Origin.Store.CountConflictsAsync());
        Assert.Equal(originSequence, await Origin.Store.GetLastOutboxSequenceAsync());

        // The old epoch's v1 and v2 reaching the new primary again are its own history, not losers.
        Assert.Equal(0, (await Replica.Store.ApplyReplicatedAsync(RelayRegion, await Origin.ReadWholeOutboxAsync())).Applied);
        Assert.Equal(0L, await Replica.Store.CountConflictsAsync());
    }

    [Fact]
    public async Task ListConflicts_PagesByIdAfterTheGivenOne_AndCountCountsThemAll()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        await ShipAsync();
        Assert.Empty(await Replica.Store.ListConflictsAsync(10));
        Assert.Equal(0L, await Replica.Store.CountConflictsAsync());
        ulong[] addresses = [0x30, 0x10, 0xffffffffffff0000];
        foreach (var address in addresses)
        {
            await Origin.Store.PutAnnotationAsync(analysis.Id, address, Samples.Input("old"), null);
        }

        Replica.Epoch = 2;
        foreach (var address in addresses)
        {
            await Replica.Store.PutAnnotationAsync(analysis.Id, address, Samples.Input("new"), null);
        }

        await ShipAsync();

        Assert.Equal(3L, await Replica.Store.CountConflictsAsync());
        var all = await Replica.Store.ListConflictsAsync(10);
        Assert.Equal(addresses, all.Select(c => c.Address));
        Assert.Equal(all.Select(c => c.Id).Order(), all.Select(c => c.Id));
        var first = await Replica.Store.ListConflictsAsync(2);
        Assert.Equal([addresses[0], addresses[1]], first.Select(c => c.Address));
        var second = await Replica.Store.ListConflictsAsync(2, first[^1].Id);
        Assert.Equal([all[2].Id], second.Select(c => c.Id));
        Assert.Equal(0xffffffffffff0000UL, second[0].Lost.Address);
        Assert.Empty(await Replica.Store.ListConflictsAsync(2, second[^1].Id));
    }

    /// <summary>The origin stores an analysis and writes v1 and v2 at <see cref="Address"/>; the replica gets all of it.</summary>
    private async Task<string> ReplicateTwoVersionsAsync()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        await Origin.Store.PutAnnotationAsync(analysis.Id, Address, Samples.Input("v1"), null);
        await Origin.Store.PutAnnotationAsync(analysis.Id, Address, Samples.Input("v2"), null);
        await ShipAsync();
        return analysis.Id;
    }

    /// <summary>The replica becomes the primary of epoch 2 and writes at <see cref="Address"/>.</summary>
    private async Task FailOverAsync(string id, string name, long expectedVersion)
    {
        Replica.Epoch = 2;
        Replica.Time.Advance(TimeSpan.FromSeconds(2));
        var write = await Replica.Store.PutAnnotationAsync(id, Address, Samples.Input(name), expectedVersion);
        Assert.Equal(AnnotationWriteStatus.Updated, write.Status);
    }
}
