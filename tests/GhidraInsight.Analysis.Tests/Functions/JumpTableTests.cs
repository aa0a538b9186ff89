using System.Globalization;

namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>
/// A dense <c>switch</c> (the corpus program's <c>dispatch</c>) compiled to a jump table three ways: absolute entries (gcc,
/// static, not position-independent) and entries relative to the table (gcc and clang, position-independent). Stripped of
/// symbols and unwind information, so nothing gives the function's extent: its cases are reached only through the table. The
/// function must then hold every instruction objdump lists between its symbol's start and end in the unstripped file (and may
/// hold more: the part gcc moves out as <c>dispatch….cold</c>, reached by a jump). MSVC's shapes are checked on PE files built
/// from assembly written in them.
/// </summary>
public sealed class JumpTableTests
{
    [Theory]
    [InlineData("gcc", "-O2 -static")]
    [InlineData("gcc", "-O2")]
    [InlineData("clang", "-O2")]
    public void EveryCase_OfASwitchThroughAJumpTable_BelongsToItsFunction(string compiler, string flags)
    {
        using var folder = new TempFolder("ghidrainsight-switch-");
        var built = Path.Combine(folder.Path, "program");
        ExternalTool.Run(compiler, [.. flags.Split(' '), "-o", built, Path.Combine(AppContext.BaseDirectory, "Corpus", "program.c")]);
        var stripped = built + ".no-unwind";
        ExternalTool.Run("objcopy", "--strip-all", "-R", ".eh_frame", "-R", ".eh_frame_hdr", built, stripped);
        var (start, size) = Symbol(built, "dispatch");
        var theirs = ObjdumpListing.Of(built).Instructions.Keys.Where(a => a >= start && a < start + size).ToHashSet();

        var bytes = File.ReadAllBytes(stripped);
        var engine = new AnalysisEngine();
        var result = engine.Analyze(bytes);
        Assert.True(result.Functions.Any(f => f.Address == start), $"dispatch at 0x{start:x} was not found");
        var ours = engine.DescribeFunction(bytes, result, start)!.Instructions.Select(i => i.Address).ToHashSet();

        Assert.True(theirs.Count > 10, $"only {theirs.Count} instructions in dispatch");
        Assert.Subset(ours, theirs);
    }

    /// <summary>
    /// MSVC's shapes (x64: RVAs off the image base; x86: absolute addresses; both also through a byte table of case numbers), in
    /// PE files without unwind information, tables in .text after their function. Each function must hold exactly what objdump
    /// lists between its label and its end label (symbols kept only in a second link of the same objects, for objdump), no
    /// table byte; and a switch whose index changes after its bounds check must stay unresolved.
    /// </summary>
    [Theory]
    [InlineData("switch-msvc-x64.s", "x86_64-pc-windows-msvc", "", "dispatch,dispatch2")]
    [InlineData("switch-msvc-x86.s", "i686-pc-windows-msvc", "/safeseh:no", "_dispatch,_dispatch2,_unbounded")]
    public void EveryCase_OfAnMsvcSwitch_BelongsToItsFunction_AndNothingElse(string source, string target, string linkFlag, string functions)
    {
        using var folder = new TempFolder("ghidrainsight-msvc-switch-");
        var (analysed, withSymbols) = HandWrittenPe.Link(folder.Path, source, target, linkFlag);
        var listing = ObjdumpListing.Of(withSymbols);
        var bytes = File.ReadAllBytes(analysed);
        var withoutSymbols = ObjdumpListing.Of(analysed);

        var engine = new AnalysisEngine();
        var result = engine.Analyze(bytes);
        foreach (var name in functions.Split(','))
        {
            var (start, end) = (listing.Labels[name], listing.Labels[name + "_end"]);
            var theirs = listing.Instructions.Keys.Where(a => a >= start && a < end).Order().ToList();
            // The same code at the same addresses in the file analysed.
            Assert.Equal(theirs.Select(a => listing.Instructions[a].Bytes), theirs.Select(a => withoutSymbols.Instructions.GetValueOrDefault(a).Bytes));
            Assert.True(result.Functions.Any(f => f.Address == start), $"{name} at 0x{start:x} was not found");
            var ours = engine.DescribeFunction(bytes, result, start)!.Instructions.Select(i => i.Address).Order().ToList();
            Assert.Equal(theirs, ours);
        }
        // No function found in a table's bytes: every start is a labelled function (or, where a table stayed unresolved, code
        // after it).
        var starts = result.Functions.Select(f => f.Address).ToList();
        Assert.All(starts, s => Assert.True(listing.Labels.ContainsValue(s), $"a function at 0x{s:x}, no label there"));
    }

    private static (ulong Start, ulong Size) Symbol(string path, string name)
    {
        foreach (var line in ExternalTool.Run("readelf", "-sW", path).Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // gcc may rename it (dispatch.constprop.0) and move a cold part out (dispatch.constprop.0.cold).
            if (fields.Length >= 8 && fields[3] == "FUNC" && (fields[7] == name || fields[7].StartsWith(name + ".", StringComparison.Ordinal))
                && !fields[7].EndsWith(".cold", StringComparison.Ordinal))
            {
                var size = fields[2].StartsWith("0x", StringComparison.Ordinal)
                    ? ulong.Parse(fields[2][2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : ulong.Parse(fields[2], CultureInfo.InvariantCulture);
                return (ulong.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), size);
            }
        }
        throw new InvalidOperationException($"{name} is not in {path}'s symbol table");
    }
}
