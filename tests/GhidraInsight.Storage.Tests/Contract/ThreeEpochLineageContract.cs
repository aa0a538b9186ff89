using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// Two failovers of one key: us-east-1 (A) is the primary of epoch 1; eu-west-1 (B) takes over as epoch 2 from A's v2 and
/// writes (2, v3); ap-south-1 (C) takes over as epoch 3 from B's v3 and writes (3, v4). A fourth region, holding epoch 1's
/// earlier writes, receives A's, B's and C's last writes in every order. It must always end with C's write, and record A's
/// last write as lost exactly when A acknowledged one (1, v3) that no later chain continued from: its version is at or below
/// C's base, so one base version per key would have taken it for history.
/// </summary>
public abstract class ThreeEpochLineageContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    private const ulong Address = 0x401000;
    private const string ThirdRegion = "ap-south-1";

    private readonly Dictionary<char, Annotation> _writes = [];
    private readonly Dictionary<char, (string Origin, OutboxEntry Entry)> _entries = [];
    private string _id = string.Empty;
    private StoreHarness _target = null!;

    /// <param name="order">The regions whose last write arrives, in arrival order.</param>
    /// <param name="winner">
    /// The region whose write A's lost to: the newer one the target held when A's arrived, or the first to arrive after it.
    /// </param>
    [Theory]
    [InlineData("ABC", 'B')]
    [InlineData("ACB", 'C')]
    [InlineData("BAC", 'B')]
    [InlineData("BCA", 'C')]
    [InlineData("CAB", 'C')]
    [InlineData("CBA", 'C')]
    public async Task AnOldPrimarysWriteNoLaterChainContinued_IsRecordedAsLost_InEveryArrivalOrder(string order, char winner)
    {
        await FailOverTwiceAsync(oldPrimaryKeepsWriting: true);
        Assert.Equal((1L, 3L), (_writes['A'].Epoch, _writes['A'].Version));
        Assert.Equal((1L, 2L), Head(await _target.Store.GetAnnotationAsync(_id, Address)));

        await DeliverAsync(order);

        var kept = Assert.Single(await _target.Store.GetAnnotationsAsync(_id));
        AnnotationAssert.Same(_writes['C'], kept);
        var conflict = Assert.Single(await _target.Store.ListConflictsAsync(10));
        AnnotationAssert.Same(_writes['A'], conflict.Lost);
        Assert.Equal([(1L, 0L)], AnnotationAssert.Pairs(conflict.Lost));
        // The entry arriving second of A's and the winner's detected the conflict.
        var reportedBy = order[0] == 'A' ? _entries[winner].Origin : OriginRegion;
        Assert.Equal(
            (_writes[winner].Epoch, _writes[winner].Version, reportedBy),
            (conflict.WonEpoch, conflict.WonVersion, conflict.ReportedBy));
    }

    [Theory]
    [InlineData("ABC")]
    [InlineData("ACB")]
    [InlineData("BAC")]
    [InlineData("BCA")]
    [InlineData("CAB")]
    [InlineData("CBA")]
    public async Task AHistoryEachNewerChainContinued_RecordsNoConflict_InEveryArrivalOrder(string order)
    {
        await FailOverTwiceAsync(oldPrimaryKeepsWriting: false);
        Assert.Equal((1L, 2L), (_writes['A'].Epoch, _writes['A'].Version));
        Assert.Equal((1L, 1L), Head(await _target.Store.GetAnnotationAsync(_id, Address)));

        await DeliverAsync(order);

        var kept = Assert.Single(await _target.Store.GetAnnotationsAsync(_id));
        AnnotationAssert.Same(_writes['C'], kept);
        Assert.Equal((3L, 4L, 3L), (kept.Epoch, kept.Version, kept.BaseVersion));
        Assert.Equal(0L, await _target.Store.CountConflictsAsync());
    }

    /// <summary>
    /// A writes v1 and v2, which B replicates; with <paramref name="oldPrimaryKeepsWriting"/> A then acknowledges v3 that never
    /// leaves it. B (epoch 2) writes v3; C gets A's v1, v2 and B's v3 and (epoch 3) writes v4. The target gets epoch 1's writes
    /// before A's last one; <c>_entries</c> holds the three last writes with their origins.
    /// </summary>
    private async Task FailOverTwiceAsync(bool oldPrimaryKeepsWriting)
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        _id = analysis.Id;
        await WriteAsync(Origin, "a v1", 0);
        var a = await WriteAsync(Origin, "a v2", 1);
        await ShipAsync();
        if (oldPrimaryKeepsWriting)
        {
            a = await WriteAsync(Origin, "a v3, acknowledged and never replicated", 2);
        }

        Replica.Epoch = 2;
        var b = await WriteAsync(Replica, "b v3", 2);
        var third = await StartRegionAsync();
        third.Epoch = 3;
        var fromOrigin = await Origin.ReadWholeOutboxAsync();
        await third.Store.ApplyReplicatedAsync(OriginRegion, [.. fromOrigin.Take(3)]);
        await third.Store.ApplyReplicatedAsync(ReplicaRegion, await Replica.ReadWholeOutboxAsync());
        var c = await WriteAsync(third, "c v4", 3);
        Assert.Equal([(1L, 0L), (2L, 2L)], AnnotationAssert.Pairs(b));
        Assert.Equal([(1L, 0L), (2L, 2L), (3L, 3L)], AnnotationAssert.Pairs(c));

        _target = await StartRegionAsync();
        await _target.Store.ApplyReplicatedAsync(OriginRegion, [.. fromOrigin.SkipLast(1)]);
        _writes['A'] = a;
        _writes['B'] = b;
        _writes['C'] = c;
        _entries['A'] = (OriginRegion, fromOrigin[^1]);
        _entries['B'] = (ReplicaRegion, Assert.Single(await Replica.ReadWholeOutboxAsync()));
        _entries['C'] = (ThirdRegion, Assert.Single(await third.ReadWholeOutboxAsync()));
    }

    private async Task DeliverAsync(string order)
    {
        foreach (var region in order)
        {
            var (origin, entry) = _entries[region];
            await _target.Store.ApplyReplicatedAsync(origin, [entry]);
        }
    }

    private async Task<Annotation> WriteAsync(StoreHarness region, string name, long expectedVersion)
    {
        region.Time.Advance(TimeSpan.FromSeconds(1));
        var write = await region.Store.PutAnnotationAsync(_id, Address, Samples.Input(name, "t"), expectedVersion);
        Assert.NotEqual(AnnotationWriteStatus.VersionConflict, write.Status);
        return write.Current!;
    }

    private static (long Epoch, long Version) Head(Annotation? annotation) => (annotation!.Epoch, annotation.Version);
}
