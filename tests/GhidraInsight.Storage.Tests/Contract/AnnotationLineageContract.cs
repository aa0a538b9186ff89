using System.Text.Json.Nodes;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// Lineage across a failover: us-east-1 is the primary of epoch 1, eu-west-1 takes over as epoch 2 from the version it had
/// replicated. A third region receives both outboxes in either order and must tell the old epoch's history from its lost
/// writes by the new chain's epoch segments, not by comparing versions. <see cref="ThreeEpochLineageTests"/> covers
/// several failovers.
/// </summary>
public abstract class AnnotationLineageContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    private const ulong Address = 0x401000;
    private const string RelayRegion = "ap-south-1";

    [Fact]
    public async Task LocalWrites_AddASegmentPerNewEpochFromThePreviousVersion_AndKeepTheLineageWhileTheEpochLasts()
    {
        var id = await SaveAnalysisAsync();

        var epochOne = await WriteAsync(Origin, id, 2);
        Origin.Epoch = 2;
        var epochTwo = await WriteAsync(Origin, id, 2);
        Origin.Epoch = 3;
        var epochThree = await WriteAsync(Origin, id, 1);
        var otherKey = (await Origin.Store.PutAnnotationAsync(id, Address + 1, Samples.Input("new key"), 0)).Current!;

        Assert.Equal([(1L, 1L, 0L), (2L, 1L, 0L)], epochOne.Select(Lineage));
        Assert.Equal([(3L, 2L, 2L), (4L, 2L, 2L)], epochTwo.Select(Lineage));
        Assert.Equal([(5L, 3L, 4L)], epochThree.Select(Lineage));
        Assert.Equal((1L, 3L, 0L), Lineage(otherKey));
        Assert.All(epochOne, a => Assert.Equal([(1L, 0L)], AnnotationAssert.Pairs(a)));
        Assert.All(epochTwo, a => Assert.Equal([(1L, 0L), (2L, 2L)], AnnotationAssert.Pairs(a)));
        Assert.Equal([(1L, 0L), (2L, 2L), (3L, 4L)], AnnotationAssert.Pairs(epochThree[0]));
        Assert.Equal([(3L, 0L)], AnnotationAssert.Pairs(otherKey));
        var stored = (await Origin.Store.GetAnnotationAsync(id, Address))!;
        Assert.Equal((5L, 3L, 4L), Lineage(stored));
        Assert.Equal([(1L, 0L), (2L, 2L), (3L, 4L)], AnnotationAssert.Pairs(stored));
        var reopened = Origin.Open();
        await reopened.InitializeAsync();
        Assert.Equal([(1L, 0L), (2L, 2L), (3L, 4L)], AnnotationAssert.Pairs((await reopened.GetAnnotationAsync(id, Address))!));
        await reopened.DisposeAsync();
        var payloads = (await Origin.ReadWholeOutboxAsync()).Where(e => e.Kind == OutboxKinds.AnnotationPut).ToList();
        Assert.Equal([0L, 0L, 2L, 2L, 4L, 0L], payloads.Select(e => (long)JsonNode.Parse(e.Payload)!["base_version"]!));
        Assert.Equal(
            ["[[1,0]]", "[[1,0]]", "[[1,0],[2,2]]", "[[1,0],[2,2]]", "[[1,0],[2,2],[3,4]]", "[[3,0]]"],
            payloads.Select(e => JsonNode.Parse(e.Payload)!["lineage"]!.ToJsonString()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnOldEpochWriteTheNewChainDidNotStartFrom_IsRecordedAsLost_WhicheverArrivesFirst(bool oldEpochFirst)
    {
        // The old primary acknowledges v5 after the new one replicated v4; the new chain writes (2,5) and (2,6) on base 4.
        var id = await SaveAnalysisAsync();
        await WriteAsync(Origin, id, 4);
        await ShipAsync();
        var lost = (await WriteAsync(Origin, id, 1))[0];
        Replica.Epoch = 2;
        var chain = await WriteAsync(Replica, id, 2);
        Assert.Equal([(5L, 2L, 4L), (6L, 2L, 4L)], chain.Select(Lineage));

        var third = await DeliverAsync(oldEpochFirst);

        var kept = Assert.Single(await third.Store.GetAnnotationsAsync(id));
        Assert.Equal(("eu-west-1 e2 v6", 6L, 2L, 4L), (kept.Name, kept.Version, kept.Epoch, kept.BaseVersion));
        Assert.Equal([(1L, 0L), (2L, 4L)], AnnotationAssert.Pairs(kept));
        Assert.Equal(await SnapshotAsync(Replica.Store), await SnapshotAsync(third.Store));
        var conflict = Assert.Single(await third.Store.ListConflictsAsync(10));
        AnnotationAssert.Same(lost, conflict.Lost);
        Assert.Equal((1L, 5L), (conflict.Lost.Epoch, conflict.Lost.Version));
        // Detected by whichever entry arrived second: the new chain's first write, or the lost write itself.
        var (wonVersion, reportedBy) = oldEpochFirst ? (5L, ReplicaRegion) : (6L, OriginRegion);
        Assert.Equal((2L, wonVersion, reportedBy), (conflict.WonEpoch, conflict.WonVersion, conflict.ReportedBy));

        // Both outboxes again, under a mark that does not cover them: the losing write is still recorded once.
        await third.Store.ApplyReplicatedAsync(RelayRegion, [.. await Origin.ReadWholeOutboxAsync(), .. Resequence(await Replica.ReadWholeOutboxAsync(), 100)]);
        Assert.Equal(1L, await third.Store.CountConflictsAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnOldEpochWriteTheNewChainStartedFrom_IsHistory_WhicheverArrivesFirst(bool oldEpochFirst)
    {
        // The new primary replicated v5 before taking over, so its chain (2,6), (2,7) starts from base 5.
        var id = await SaveAnalysisAsync();
        await WriteAsync(Origin, id, 5);
        await ShipAsync();
        Replica.Epoch = 2;
        var chain = await WriteAsync(Replica, id, 2);
        Assert.Equal([(6L, 2L, 5L), (7L, 2L, 5L)], chain.Select(Lineage));

        var third = await DeliverAsync(oldEpochFirst);

        var kept = Assert.Single(await third.Store.GetAnnotationsAsync(id));
        Assert.Equal(("eu-west-1 e2 v7", 7L, 2L, 5L), (kept.Name, kept.Version, kept.Epoch, kept.BaseVersion));
        Assert.Equal([(1L, 0L), (2L, 5L)], AnnotationAssert.Pairs(kept));
        Assert.Equal(await SnapshotAsync(Replica.Store), await SnapshotAsync(third.Store));
        Assert.Equal(0L, await third.Store.CountConflictsAsync());
    }

    [Fact]
    public async Task AnEntryWithoutBaseVersionOrLineage_FromAnOlderBuild_AppliesWithBaseVersionZero()
    {
        var id = await SaveAnalysisAsync();
        await WriteAsync(Origin, id, 1);
        Origin.Epoch = 2;
        Assert.Equal(1L, (await WriteAsync(Origin, id, 1))[0].BaseVersion);
        var outbox = await Origin.ReadWholeOutboxAsync();
        // The analysis and the epoch-2 write only, as an older build would have sent them.
        var entries = new[] { outbox[0], outbox[2] }.Select(WithoutLineage).ToList();
        Assert.DoesNotContain("base_version", entries[1].Payload, StringComparison.Ordinal);
        Assert.DoesNotContain("lineage", entries[1].Payload, StringComparison.Ordinal);

        var result = await Replica.Store.ApplyReplicatedAsync(OriginRegion, entries);

        Assert.Equal((outbox[2].Sequence, 2), (result.HighWaterMark, result.Applied));
        var applied = Assert.Single(await Replica.Store.GetAnnotationsAsync(id));
        Assert.Equal(("us-east-1 e2 v2", 2L, 2L, 0L), (applied.Name, applied.Version, applied.Epoch, applied.BaseVersion));
        Assert.Equal([(2L, 0L)], AnnotationAssert.Pairs(applied));
        Assert.Equal(0L, await Replica.Store.CountConflictsAsync());
    }

    private async Task<string> SaveAnalysisAsync()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        return analysis.Id;
    }

    /// <summary>
    /// <paramref name="count"/> conditional writes at <see cref="Address"/> in the region's current epoch, named after the region,
    /// epoch and version, a second apart.
    /// </summary>
    private async Task<IReadOnlyList<Annotation>> WriteAsync(StoreHarness region, string id, int count)
    {
        var name = region == Origin ? OriginRegion : ReplicaRegion;
        var version = (await region.Store.GetAnnotationAsync(id, Address))?.Version ?? 0;
        var written = new List<Annotation>();
        for (var i = 0; i < count; i++, version++)
        {
            region.Time.Advance(TimeSpan.FromSeconds(1));
            var write = await region.Store.PutAnnotationAsync(id, Address, Samples.Input($"{name} e{region.Epoch} v{version + 1}", "t"), version);
            Assert.NotEqual(AnnotationWriteStatus.VersionConflict, write.Status);
            written.Add(write.Current!);
        }

        return written;
    }

    /// <summary>
    /// A fresh region gets the analysis, then both outboxes: either the old primary's whole outbox first, or what the new
    /// primary had replicated, then the new chain, then the old primary's last write.
    /// </summary>
    private async Task<StoreHarness> DeliverAsync(bool oldEpochFirst)
    {
        var third = await StartRegionAsync();
        var fromOrigin = await Origin.ReadWholeOutboxAsync();
        if (!oldEpochFirst)
        {
            await third.Store.ApplyReplicatedAsync(OriginRegion, fromOrigin.SkipLast(1).ToList());
            await third.Store.ApplyReplicatedAsync(ReplicaRegion, await Replica.ReadWholeOutboxAsync());
        }

        await third.Store.ApplyReplicatedAsync(OriginRegion, fromOrigin);
        await third.Store.ApplyReplicatedAsync(ReplicaRegion, await Replica.ReadWholeOutboxAsync());
        return third;
    }

    private static (long Version, long Epoch, long BaseVersion) Lineage(Annotation annotation) =>
        (annotation.Version, annotation.Epoch, annotation.BaseVersion);

    private static IReadOnlyList<OutboxEntry> Resequence(IReadOnlyList<OutboxEntry> entries, long offset) =>
        [.. entries.Select(e => e with { Sequence = e.Sequence + offset })];

    private static OutboxEntry WithoutLineage(OutboxEntry entry)
    {
        if (entry.Kind != OutboxKinds.AnnotationPut)
        {
            return entry;
        }

        var payload = JsonNode.Parse(entry.Payload)!.AsObject();
        Assert.True(payload.Remove("base_version"));
        Assert.True(payload.Remove("lineage"));
        return entry with { Payload = payload.ToJsonString() };
    }
}
