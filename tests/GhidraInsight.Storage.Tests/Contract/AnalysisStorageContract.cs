using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

public abstract class AnalysisStorageContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task SaveAnalysis_ThenGet_ReturnsEveryFieldWithTheClockTime()
    {
        var analysis = Samples.Analysis(1);

        Assert.True(await Store.SaveAnalysisAsync(analysis));
        var stored = await Store.GetAnalysisAsync(analysis.Id);

        Assert.NotNull(stored);
        Assert.Equal(
            new StoredAnalysis(analysis.Id, "0.3.1", "elf", "x86_64", analysis.Size, Harness.Time.GetUtcNow(), analysis.ResultJson, HasBinary: true),
            stored);
        Assert.Equal(1, await Store.CountAnalysesAsync());
    }

    [Fact]
    public async Task GetAnalysis_ForAnUnknownId_ReturnsNull()
    {
        Assert.Null(await Store.GetAnalysisAsync(Samples.Id(404)));
    }

    [Fact]
    public async Task SaveAnalysis_WithoutBinary_ReportsNoBinary()
    {
        var analysis = Samples.Analysis(2, withBinary: false);

        await Store.SaveAnalysisAsync(analysis);

        Assert.False((await Store.GetAnalysisAsync(analysis.Id))!.HasBinary);
        Assert.Null(await Store.GetBinaryAsync(analysis.Id));
    }

    [Fact]
    public async Task SaveAnalysis_ForAnIdAlreadyStored_ReturnsFalseAndChangesNothing()
    {
        var first = Samples.Analysis(3);
        await Store.SaveAnalysisAsync(first);
        var original = await Store.GetAnalysisAsync(first.Id);
        Harness.Time.Advance(TimeSpan.FromMinutes(5));

        var saved = await Store.SaveAnalysisAsync(first with { EngineVersion = "9.9.9", ResultJson = "{}" });

        Assert.False(saved);
        Assert.Equal(original, await Store.GetAnalysisAsync(first.Id));
        Assert.Single(await Harness.ReadWholeChangesAsync());
    }

    [Fact]
    public async Task ListAnalyses_PagesThroughEveryAnalysisInIdOrder()
    {
        var ids = new List<string>();
        for (var seed = 0; seed < 23; seed++)
        {
            var analysis = Samples.Analysis(seed);
            await Store.SaveAnalysisAsync(analysis);
            ids.Add(analysis.Id);
        }

        var listed = new List<string>();
        string? after = null;
        IReadOnlyList<AnalysisSummary> page;
        do
        {
            page = await Store.ListAnalysesAsync(5, after);
            Assert.True(page.Count <= 5);
            listed.AddRange(page.Select(a => a.Id));
            after = page.Count > 0 ? page[^1].Id : after;
        }
        while (page.Count > 0);

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task ListAnalyses_WithALimitBelowOne_ReturnsOneRow(int limit)
    {
        await Store.SaveAnalysisAsync(Samples.Analysis(1));
        await Store.SaveAnalysisAsync(Samples.Analysis(2));

        Assert.Single(await Store.ListAnalysesAsync(limit, null));
    }

    [Fact]
    public async Task ListAnalyses_WhileOthersInsert_SeesEveryEarlierAnalysisExactlyOnceInOrder()
    {
        var before = new HashSet<string>();
        for (var seed = 0; seed < 40; seed++)
        {
            var analysis = Samples.Analysis(seed);
            await Store.SaveAnalysisAsync(analysis);
            before.Add(analysis.Id);
        }

        var inserting = Task.Run(async () =>
        {
            for (var seed = 1000; seed < 1040; seed++)
            {
                await Store.SaveAnalysisAsync(Samples.Analysis(seed));
            }
        });
        var listed = new List<string>();
        string? after = null;
        for (var page = await Store.ListAnalysesAsync(3, after); page.Count > 0; page = await Store.ListAnalysesAsync(3, after))
        {
            listed.AddRange(page.Select(a => a.Id));
            after = page[^1].Id;
        }

        await inserting;

        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Subset(listed.ToHashSet(), before);
    }

    [Fact]
    public async Task DeleteAnalysis_RemovesTheAnalysisItsBinaryAndItsAnnotations()
    {
        var kept = Samples.Analysis(1);
        var deleted = Samples.Analysis(2);
        await Store.SaveAnalysisAsync(kept);
        await Store.SaveAnalysisAsync(deleted);
        await Store.PutAnnotationAsync(kept.Id, 0x1000, Samples.Input("keep"), null);
        await Store.PutAnnotationAsync(deleted.Id, 0x1000, Samples.Input("go"), null);
        await Store.PutAnnotationAsync(deleted.Id, 0x2000, Samples.Input("go too"), null);

        Assert.True(await Store.DeleteAnalysisAsync(deleted.Id));

        Assert.Null(await Store.GetAnalysisAsync(deleted.Id));
        Assert.Null(await Store.GetBinaryAsync(deleted.Id));
        Assert.Empty(await Store.GetAnnotationsAsync(deleted.Id));
        Assert.Equal(1L, await Store.CountAnalysesAsync());
        Assert.Single(await Store.GetAnnotationsAsync(kept.Id));
        var change = (await Harness.ReadWholeChangesAsync())[^1];
        Assert.Equal((OutboxKinds.AnalysisDeleted, deleted.Id), (change.Kind, change.Key));
        Assert.NotNull(await Store.GetBinaryAsync(kept.Id));
    }

    [Fact]
    public async Task DeleteAnalysis_ForAnUnknownId_ReturnsFalseAndAppendsNothing()
    {
        Assert.False(await Store.DeleteAnalysisAsync(Samples.Id(404)));

        Assert.Empty(await Harness.ReadWholeChangesAsync());
    }
}
