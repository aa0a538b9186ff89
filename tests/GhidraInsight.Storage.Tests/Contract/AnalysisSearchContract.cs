using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// The list's search: a name containing the text (ignoring case), an id starting with it (hex) or a format equal to it
/// (ignoring case); every character of the text matches only itself; paging by id works within the matches.
/// </summary>
public abstract class AnalysisSearchContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Theory]
    [InlineData("setup")]
    [InlineData("SETUP")]
    [InlineData("Up.Ex")]
    [InlineData("  setup  ")]
    public async Task Search_ByAPartOfTheName_IgnoresCase(string query)
    {
        var named = await SaveAsync(1, "Setup.exe");
        await SaveAsync(2, "readme.txt");
        await SaveAsync(3, null);

        Assert.Equal([named.Id], await SearchAsync(query));
    }

    [Fact]
    public async Task Search_ByAnIdPrefix_InAnyCase_FindsThatAnalysisOnly()
    {
        // Names without hex letters, so only ids can match the hex text.
        var wanted = await SaveAsync(4, "jolly");
        var others = new List<NewAnalysis>();
        for (var seed = 5; seed < 25; seed++)
        {
            others.Add(await SaveAsync(seed, "xyz"));
        }

        var prefix = Enumerable.Range(4, 60).Select(n => wanted.Id[..n]).First(p => others.All(o => !o.Id.StartsWith(p, StringComparison.Ordinal)));

        Assert.Equal([wanted.Id], await SearchAsync(prefix));
        Assert.Equal([wanted.Id], await SearchAsync(prefix.ToUpperInvariant()));
        Assert.Equal([wanted.Id], await SearchAsync(wanted.Id));
        Assert.Equal(others.Count(o => o.Id[0] == wanted.Id[0]) + 1, (await SearchAsync(wanted.Id[..1])).Count);
    }

    [Fact]
    public async Task Search_ByAFormat_MatchesTheWholeFormatIgnoringCase()
    {
        var pe = await SaveAsync(30, "tool", format: "pe");
        var macho = await SaveAsync(31, "tool", format: "macho");
        var elf = await SaveAsync(32, "tool");

        Assert.Equal([pe.Id], await SearchAsync("PE"));
        Assert.Equal([macho.Id], await SearchAsync("macho"));
        Assert.Equal([elf.Id], await SearchAsync("Elf"));
        Assert.Empty(await SearchAsync("mach"));
    }

    [Theory]
    [InlineData("100%", "100% sure.bin", "1000 sure.bin")]
    [InlineData("a_b", "a_b.so", "axb.so")]
    [InlineData("\\x", "dir\\x.dll", "x.dll")]
    [InlineData("%", "%", "anything")]
    [InlineData("_", "_", "x")]
    public async Task Search_WithLikeWildcardsOrTheEscapeCharacter_MatchesThemLiterally(string query, string matching, string other)
    {
        var wanted = await SaveAsync(40, matching);
        await SaveAsync(41, other);

        Assert.Equal([wanted.Id], await SearchAsync(query));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Search_WithoutText_ListsEveryAnalysis(string? query)
    {
        await SaveAsync(50, "x");
        await SaveAsync(51, null);

        Assert.Equal(2, (await Store.ListAnalysesAsync(10, null, query)).Count);
    }

    [Fact]
    public async Task Search_PagesThroughTheMatchesOnlyInIdOrder()
    {
        var matching = new List<string>();
        for (var seed = 60; seed < 83; seed++)
        {
            var analysis = await SaveAsync(seed, seed % 3 == 0 ? $"driver-{seed}.sys" : $"tool-{seed}.exe");
            if (seed % 3 == 0)
            {
                matching.Add(analysis.Id);
            }
        }

        var listed = new List<string>();
        string? after = null;
        IReadOnlyList<AnalysisSummary> page;
        do
        {
            page = await Store.ListAnalysesAsync(2, after, "DRIVER");
            Assert.True(page.Count <= 2);
            Assert.All(page, a => Assert.StartsWith("driver-", a.Name, StringComparison.Ordinal));
            listed.AddRange(page.Select(a => a.Id));
            after = page.Count > 0 ? page[^1].Id : after;
        }
        while (page.Count > 0);

        Assert.Equal(matching.Order(StringComparer.Ordinal), listed);
    }

    private async Task<NewAnalysis> SaveAsync(int seed, string? name, string format = "elf")
    {
        var analysis = Samples.Analysis(seed) with { Name = name, Format = format };
        Assert.True(await Store.SaveAnalysisAsync(analysis));
        return analysis;
    }

    private async Task<IReadOnlyList<string>> SearchAsync(string query) =>
        [.. (await Store.ListAnalysesAsync(1000, null, query)).Select(a => a.Id)];
}
