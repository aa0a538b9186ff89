using System.Globalization;

namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>
/// Functions reached only through pointers the file holds: a constant table of function pointers (in a position-independent
/// file, RELATIVE relocations fill it in; otherwise it holds the addresses as they are) and a constructor listed in
/// <c>.init_array</c>. Stripped of symbols and unwind information, each must still be found, from its pointer.
/// </summary>
public sealed class CodePointerTests
{
    private const string Source = """
        #include <stdio.h>
        __attribute__((noinline)) static int step_a(int x) { return x * 3 + 1; }
        __attribute__((noinline)) static int step_b(int x) { return x ^ 0x55; }
        __attribute__((noinline)) static int step_c(int x) { return x - 7; }
        static int (*const steps[])(int) = { step_a, step_b, step_c };
        __attribute__((constructor)) static void announce(void) { puts("ready"); }
        int main(int argc, char **argv) { (void)argv; return steps[argc % 3](argc); }
        """;

    [Theory]
    [InlineData("-pie")]
    [InlineData("-no-pie")]
    public void FunctionsReachedOnlyThroughPointersInData_AreFoundFromThem(string pie)
    {
        using var folder = new TempFolder("ghidrainsight-code-pointers-");
        var source = Path.Combine(folder.Path, "pointers.c");
        File.WriteAllText(source, Source);
        var built = Path.Combine(folder.Path, "pointers");
        ExternalTool.Run("gcc", "-O2", pie, "-o", built, source);
        var stripped = built + ".no-unwind";
        ExternalTool.Run("objcopy", "--strip-all", "-R", ".eh_frame", "-R", ".eh_frame_hdr", built, stripped);
        var truth = ExternalTool.Run("readelf", "-sW", built).Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 8 && f[3] == "FUNC" && f[7] is "step_a" or "step_b" or "step_c" or "announce")
            .ToDictionary(f => f[7], f => ulong.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        var functions = new AnalysisEngine().Analyze(File.ReadAllBytes(stripped)).Functions;

        Assert.Equal(4, truth.Count);
        Assert.All(truth, t => Assert.True(functions.Any(f => f.Address == t.Value && f.Source == "pointer"),
            $"{t.Key} at 0x{t.Value:x} was not found from a pointer"));
    }
}
