using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>A re-analysis travels as a store of the analysis; a region keeps whichever result comes from the newest engine.</summary>
public abstract class ReanalysisReplicationContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task AReanalysisAtTheOrigin_ReplacesTheReplicasResult_AndInvalidatesIt()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        await ShipAsync();
        await Origin.Store.ReplaceAnalysisAsync(analysis with { EngineVersion = "0.4.0", ResultJson = """{"v":4}""", Binary = null });

        var applied = await ShipAsync();

        Assert.Equal([analysis.Id], applied.ChangedAnalysisIds);
        var replicated = (await Replica.Store.GetAnalysisAsync(analysis.Id))!;
        Assert.Equal(("0.4.0", """{"v":4}"""), (replicated.EngineVersion, replicated.ResultJson));
        Assert.False(replicated.HasBinary);
    }

    [Fact]
    public async Task AnOlderResultArrivingLate_DoesNotReplaceANewerOne()
    {
        var analysis = Samples.Analysis(2, withBinary: false);
        // The replica re-analysed first (its own write); the origin's first store of the same bytes arrives afterwards.
        await Replica.Store.SaveAnalysisAsync(analysis with { EngineVersion = "0.4.0", ResultJson = """{"v":4}""" });
        await Origin.Store.SaveAnalysisAsync(analysis);

        var applied = await ShipAsync();

        Assert.Empty(applied.ChangedAnalysisIds);
        Assert.Equal("0.4.0", (await Replica.Store.GetAnalysisAsync(analysis.Id))!.EngineVersion);
    }

    [Fact]
    public async Task AReanalysisOfAnAnalysisDeletedElsewhere_DoesNotBringItBack()
    {
        var analysis = Samples.Analysis(3);
        await Origin.Store.SaveAnalysisAsync(analysis);
        await ShipAsync();
        Replica.Time.Advance(TimeSpan.FromMinutes(1));
        await Replica.Store.DeleteAnalysisAsync(analysis.Id);
        await Origin.Store.ReplaceAnalysisAsync(analysis with { EngineVersion = "0.4.0", Binary = null });

        await ShipAsync();

        Assert.Null(await Replica.Store.GetAnalysisAsync(analysis.Id));
    }
}
