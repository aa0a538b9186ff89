using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>A re-analysis by a newer engine replaces the stored result and nothing else; an older or equal one changes nothing.</summary>
public abstract class ReanalysisContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task ANewerEngine_ReplacesTheResult_KeepingBinaryCreationTimeAndAnnotations()
    {
        var first = Samples.Analysis(1);
        await Store.SaveAnalysisAsync(first);
        await Store.PutAnnotationAsync(first.Id, 0x1000, Samples.Input("main"), expectedVersion: null);
        var created = Harness.Time.GetUtcNow();
        Harness.Time.Advance(TimeSpan.FromHours(1));
        var changesBefore = (await Harness.ReadWholeChangesAsync()).Count;

        var replaced = await Store.ReplaceAnalysisAsync(first with { EngineVersion = "0.10.0", Arch = "x86", ResultJson = """{"better":true}""", Binary = null });

        Assert.True(replaced);
        Assert.Equal(new StoredAnalysis(first.Id, "0.10.0", "elf", "x86", first.Size, created, """{"better":true}""", HasBinary: true),
            await Store.GetAnalysisAsync(first.Id));
        Assert.Equal(first.Binary!.Value.ToArray(), await Store.GetBinaryAsync(first.Id));
        Assert.Equal("main", (await Store.GetAnnotationAsync(first.Id, 0x1000))!.Name);
        Assert.Equal("0.10.0", Assert.Single(await Store.ListAnalysesAsync(10, null)).EngineVersion);
        var change = (await Harness.ReadWholeChangesAsync())[^1];
        Assert.Equal(changesBefore + 1, (await Harness.ReadWholeChangesAsync()).Count);
        Assert.Equal((OutboxKinds.AnalysisStored, first.Id), (change.Kind, change.Key));
    }

    [Theory]
    [InlineData("0.3.1")]
    [InlineData("0.3.0")]
    [InlineData("not a version")]
    public async Task TheSameOrAnOlderEngine_ChangesNothing(string engine)
    {
        var first = Samples.Analysis(2);
        await Store.SaveAnalysisAsync(first);
        var original = await Store.GetAnalysisAsync(first.Id);
        var changes = (await Harness.ReadWholeChangesAsync()).Count;

        Assert.False(await Store.ReplaceAnalysisAsync(first with { EngineVersion = engine, ResultJson = "{}" }));

        Assert.Equal(original, await Store.GetAnalysisAsync(first.Id));
        Assert.Equal(changes, (await Harness.ReadWholeChangesAsync()).Count);
    }

    [Fact]
    public async Task AnAnalysisNotStored_IsNotCreatedByAReanalysis()
    {
        var absent = Samples.Analysis(3);

        Assert.False(await Store.ReplaceAnalysisAsync(absent with { EngineVersion = "9.0.0" }));

        Assert.Null(await Store.GetAnalysisAsync(absent.Id));
    }
}
