namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>
/// Functions nothing calls or points to, found only by how they begin, in the shapes MSVC (x64 home-space saves, 32-bit
/// hot-patch point) and Go (the stack check) give them: PE files from assembly written in those shapes, each function short
/// enough that nothing else would take it. Every labelled function must be found, as a gap start of the most certain shape,
/// and nothing else between them.
/// </summary>
public sealed class EntryShapeTests
{
    [Theory]
    [InlineData("entries-x64.s", "x86_64-pc-windows-msvc", "", "msvc_home_space,msvc_frame_in_r11,go_stack_check", "entries_end")]
    [InlineData("entries-x86.s", "i686-pc-windows-msvc", "/safeseh:no", "_hot_patchable", "_entries_end")]
    public void FunctionsFoundOnlyByHowTheyBegin_AreFound(string source, string target, string linkFlag, string functions, string end)
    {
        using var folder = new TempFolder("ghidrainsight-entry-shapes-");
        var (analysed, withSymbols) = HandWrittenPe.Link(folder.Path, source, target, linkFlag);
        var labels = ObjdumpListing.Of(withSymbols).Labels;

        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(analysed));

        var entry = labels[target.StartsWith("i686", StringComparison.Ordinal) ? "_main" : "main"];
        var expected = functions.Split(',').Select(name => labels[name]).Prepend(entry).Order().ToList();
        Assert.Equal(expected, result.Functions.Select(f => f.Address).Where(a => a < labels[end]).Order());
        Assert.All(result.Functions.Where(f => f.Address != entry && f.Address < labels[end]),
            f => Assert.Equal(("gap", 0.99), (f.Source, f.Confidence)));
    }
}
