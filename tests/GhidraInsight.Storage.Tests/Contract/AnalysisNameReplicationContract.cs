using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// Names travel with the analysis: in its store entry, a naming, a re-analysis and a snapshot. An entry without a name (an
/// unnamed analysis, or one from a build before names) applies as no name, and never erases one.
/// </summary>
public abstract class AnalysisNameReplicationContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task ANamedStore_ReachesTheReplicaWithItsName()
    {
        var analysis = Samples.Analysis(1) with { Name = "ls" };
        await Origin.Store.SaveAnalysisAsync(analysis);

        await ShipAsync();

        Assert.Equal("ls", (await Replica.Store.GetAnalysisAsync(analysis.Id))!.Name);
        Assert.Equal(await SnapshotAsync(Origin.Store), await SnapshotAsync(Replica.Store));
    }

    [Fact]
    public async Task AStoreEntryWithoutAName_AppliesAsNoName()
    {
        var analysis = Samples.Analysis(2, withBinary: false);
        // A store entry as builds before names wrote it.
        var payload = $$"""
            {"id":"{{analysis.Id}}","engine_version":"0.3.1","format":"elf","arch":"x86_64","size":64,"created_at":1700000000000,"result_json":"{}"}
            """;

        var applied = await Replica.Store.ApplyReplicatedAsync(OriginRegion,
            [new OutboxEntry(1, OutboxKinds.AnalysisStored, analysis.Id, payload, 1, DateTimeOffset.FromUnixTimeMilliseconds(1700000000000))]);

        Assert.Equal(1, applied.Applied);
        var stored = (await Replica.Store.GetAnalysisAsync(analysis.Id))!;
        Assert.Equal(("0.3.1", "{}", null), (stored.EngineVersion, stored.ResultJson, stored.Name));
    }

    [Fact]
    public async Task ANamingAtTheOrigin_NamesTheReplicasUnnamedCopy_AndApplyingItAgainChangesNothing()
    {
        var analysis = Samples.Analysis(3);
        await Origin.Store.SaveAnalysisAsync(analysis);
        await ShipAsync();
        await Origin.Store.NameAnalysisAsync(analysis.Id, "named.exe");

        var applied = await ShipAsync();
        var again = await Replica.Store.ApplyReplicatedAsync(OriginRegion, await Origin.ReadWholeOutboxAsync());

        Assert.Equal([analysis.Id], applied.ChangedAnalysisIds);
        Assert.Equal("named.exe", (await Replica.Store.GetAnalysisAsync(analysis.Id))!.Name);
        Assert.Equal(0, again.Applied);
        Assert.Equal(await SnapshotAsync(Origin.Store), await SnapshotAsync(Replica.Store));
    }

    [Fact]
    public async Task ANameTheReplicaHasAlready_IsKept_AndAnUnnamedEntryDoesNotEraseIt()
    {
        var analysis = Samples.Analysis(4, withBinary: false);
        await Replica.Store.SaveAnalysisAsync(analysis with { Name = "mine" });
        await Origin.Store.SaveAnalysisAsync(analysis);
        await Origin.Store.NameAnalysisAsync(analysis.Id, "theirs");

        var applied = await ShipAsync();

        Assert.Empty(applied.ChangedAnalysisIds);
        Assert.Equal("mine", (await Replica.Store.GetAnalysisAsync(analysis.Id))!.Name);
    }

    [Fact]
    public async Task AReanalysisAtTheOrigin_CarriesTheStoredName()
    {
        var analysis = Samples.Analysis(5, withBinary: false) with { Name = "kept" };
        await Origin.Store.SaveAnalysisAsync(analysis);
        await Origin.Store.ReplaceAnalysisAsync(analysis with { EngineVersion = "0.4.0", Name = null });
        // Only the re-analysis reaches the replica (its first store went elsewhere): it still brings the name.
        var reanalysis = (await Origin.ReadWholeOutboxAsync())[^1];

        await Replica.Store.ApplyReplicatedAsync(OriginRegion, [reanalysis]);

        var replicated = (await Replica.Store.GetAnalysisAsync(analysis.Id))!;
        Assert.Equal(("0.4.0", "kept"), (replicated.EngineVersion, replicated.Name));
    }

    [Fact]
    public async Task ASnapshot_CarriesNames()
    {
        var named = Samples.Analysis(6) with { Name = "snap.bin" };
        var unnamed = Samples.Analysis(7);
        await Origin.Store.SaveAnalysisAsync(named);
        await Origin.Store.SaveAnalysisAsync(unnamed);

        await Replica.Store.Replication.ApplySnapshotAsync(OriginRegion, await Origin.ReadWholeSnapshotAsync(), completesThrough: null);

        Assert.Equal("snap.bin", (await Replica.Store.GetAnalysisAsync(named.Id))!.Name);
        Assert.Null((await Replica.Store.GetAnalysisAsync(unnamed.Id))!.Name);
        Assert.Equal(await SnapshotAsync(Origin.Store), await SnapshotAsync(Replica.Store));
    }
}
