using System.Globalization;

namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>
/// A dense <c>switch</c> (the corpus program's <c>dispatch</c>) compiled to a jump table three ways: absolute entries (gcc,
/// static, not position-independent) and entries relative to the table (gcc and clang, position-independent). Stripped of
/// symbols and unwind information, so nothing gives the function's extent: its cases are reached only through the table. The
/// function must then hold every instruction objdump lists between its symbol's start and end in the unstripped file (and may
/// hold more: the part gcc moves out as <c>dispatch….cold</c>, reached by a jump).
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
