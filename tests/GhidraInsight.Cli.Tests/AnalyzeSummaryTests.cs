using System.Text.RegularExpressions;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

public sealed partial class AnalyzeSummaryTests
{
    [Fact]
    public async Task Analyze_WithSystemBinary_PrintsFormatSectionsMitigationsAndFunctionCount()
    {
        var run = await CliProcess.RunAsync("analyze", Samples.Ls);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.ErrorLines);
        Assert.Matches(@"(?m)^\s+format\s+ELF64 x86_64,", run.Stdout);
        Assert.Matches(@"(?m)^\s+sections$", run.Stdout);
        Assert.Matches(@"(?m)^\s+\.text\s+0x[0-9a-f]+\s+\d+\s+\d+\s+r-x\s", run.Stdout);
        Assert.Matches(@"(?m)^\s+mitigations\s+NX (yes|no), PIE (yes|no)", run.Stdout);
        var functions = FunctionCountLine().Match(run.Stdout);
        Assert.True(functions.Success, run.Stdout);
        Assert.True(int.Parse(functions.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, functions.Value);
    }

    [Fact]
    public async Task Analyze_WithTwoFiles_PrintsOneSummaryEachInArgumentOrder()
    {
        var run = await CliProcess.RunAsync("analyze", Samples.Ls, Samples.Program);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, FunctionCountLine().Matches(run.Stdout).Count);
        var ls = run.Stdout.IndexOf(Samples.Ls + "\n", StringComparison.Ordinal);
        var program = run.Stdout.IndexOf(Samples.Program + "\n", StringComparison.Ordinal);
        Assert.True(ls >= 0 && program > ls, run.Stdout);
    }

    [GeneratedRegex(@"(?m)^\s+functions\s+(\d+)$")]
    private static partial Regex FunctionCountLine();
}
