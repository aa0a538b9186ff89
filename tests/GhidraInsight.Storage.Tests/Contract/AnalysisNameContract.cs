using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>An analysis keeps the name of the first store or naming that gave it one; nothing later erases or replaces it.</summary>
public abstract class AnalysisNameContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task SaveAnalysis_WithAName_StoresIt_ForGetAndList()
    {
        var analysis = Samples.Analysis(1) with { Name = "ls" };

        await Store.SaveAnalysisAsync(analysis);

        Assert.Equal("ls", (await Store.GetAnalysisAsync(analysis.Id))!.Name);
        Assert.Equal("ls", Assert.Single(await Store.ListAnalysesAsync(10, null)).Name);
    }

    [Fact]
    public async Task SaveAnalysis_WithoutAName_StoresNone()
    {
        var analysis = Samples.Analysis(2);

        await Store.SaveAnalysisAsync(analysis);

        Assert.Null((await Store.GetAnalysisAsync(analysis.Id))!.Name);
        Assert.Null(Assert.Single(await Store.ListAnalysesAsync(10, null)).Name);
    }

    [Fact]
    public async Task ALaterStoreOrReanalysis_WithoutAName_KeepsTheFirstName()
    {
        var analysis = Samples.Analysis(3) with { Name = "first.exe" };
        await Store.SaveAnalysisAsync(analysis);

        Assert.False(await Store.SaveAnalysisAsync(analysis with { Name = null }));
        Assert.False(await Store.SaveAnalysisAsync(analysis with { Name = "second.exe" }));
        Assert.True(await Store.ReplaceAnalysisAsync(analysis with { EngineVersion = "0.10.0", Binary = null, Name = null }));
        Assert.True(await Store.ReplaceAnalysisAsync(analysis with { EngineVersion = "0.11.0", Binary = null, Name = "third.exe" }));

        var stored = (await Store.GetAnalysisAsync(analysis.Id))!;
        Assert.Equal(("0.11.0", "first.exe"), (stored.EngineVersion, stored.Name));
    }

    [Fact]
    public async Task AReanalysisWithAName_NamesAnUnnamedAnalysis()
    {
        var analysis = Samples.Analysis(4);
        await Store.SaveAnalysisAsync(analysis);

        await Store.ReplaceAnalysisAsync(analysis with { EngineVersion = "0.10.0", Binary = null, Name = "late.bin" });

        Assert.Equal("late.bin", (await Store.GetAnalysisAsync(analysis.Id))!.Name);
    }

    [Fact]
    public async Task NameAnalysis_OfAnUnnamedAnalysis_NamesIt_AsOneMoreChange_AndChangesNothingElse()
    {
        var analysis = Samples.Analysis(5);
        await Store.SaveAnalysisAsync(analysis);
        var before = (await Store.GetAnalysisAsync(analysis.Id))!;
        Harness.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(await Store.NameAnalysisAsync(analysis.Id, "named later"));

        Assert.Equal(before with { Name = "named later" }, await Store.GetAnalysisAsync(analysis.Id));
        var changes = await Harness.ReadWholeChangesAsync();
        Assert.Equal(2, changes.Count);
        Assert.Equal((OutboxKinds.AnalysisStored, analysis.Id), (changes[^1].Kind, changes[^1].Key));
    }

    [Fact]
    public async Task NameAnalysis_OfANamedAnalysis_KeepsTheFirstName_AndWritesNothing()
    {
        var analysis = Samples.Analysis(6) with { Name = "first" };
        await Store.SaveAnalysisAsync(analysis);

        Assert.False(await Store.NameAnalysisAsync(analysis.Id, "second"));

        Assert.Equal("first", (await Store.GetAnalysisAsync(analysis.Id))!.Name);
        Assert.Single(await Harness.ReadWholeChangesAsync());
    }

    [Fact]
    public async Task NameAnalysis_OfAnUnknownId_ReturnsFalseAndWritesNothing()
    {
        Assert.False(await Store.NameAnalysisAsync(Samples.Id(404), "nobody"));

        Assert.Empty(await Harness.ReadWholeChangesAsync());
        Assert.Equal(0L, await Store.CountAnalysesAsync());
    }
}
