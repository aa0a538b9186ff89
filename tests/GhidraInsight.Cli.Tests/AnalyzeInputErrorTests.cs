using System.Text.Json;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

public sealed class AnalyzeInputErrorTests
{
    [Fact]
    public async Task Analyze_WithNonexistentFile_ExitsOneWithOneErrorLineNamingIt()
    {
        var missing = Path.Combine(Samples.NewFolder(), "no-such-binary");

        var run = await CliProcess.RunAsync("analyze", missing);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = Assert.Single(run.ErrorLines);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        run.AssertNoStackTrace();
    }

    [Fact]
    public async Task Analyze_WithFileInsideRegularFile_ExitsOneWithOneErrorLineNamingIt()
    {
        // A path through a file (ENOTDIR): unreadable even for root, unlike chmod 000.
        var throughFile = Path.Combine(Samples.Program, "inner");

        var run = await CliProcess.RunAsync("analyze", "--json", throughFile);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = Assert.Single(run.ErrorLines);
        Assert.Contains(throughFile, error, StringComparison.Ordinal);
        run.AssertNoStackTrace();
    }

    [Fact]
    public async Task Analyze_WithMissingAndGoodFile_PrintsGoodResultAndExitsOne()
    {
        var missing = Path.Combine(Samples.NewFolder(), "gone");

        var run = await CliProcess.RunAsync("analyze", "--json", missing, Samples.Program);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = Assert.Single(run.ErrorLines);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        run.AssertNoStackTrace();
        using var json = JsonDocument.Parse(run.Stdout);
        var result = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("elf", result.GetProperty("binary").GetProperty("format").GetString());
    }

    [Fact]
    public async Task Analyze_WithMissingAndGoodFileAsText_PrintsGoodSummaryAndExitsOne()
    {
        var missing = Path.Combine(Samples.NewFolder(), "gone");

        var run = await CliProcess.RunAsync("analyze", Samples.Program, missing);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Single(run.ErrorLines);
        Assert.StartsWith(Samples.Program + "\n", run.Stdout, StringComparison.Ordinal);
        run.AssertNoStackTrace();
    }

    [Fact]
    public async Task AnalyzeJson_WithDirectoryHoldingFifo_SkipsItAndAnalysesTheRest()
    {
        var folder = Samples.NewFolder();
        ExternalTool.Run("mkfifo", Path.Combine(folder, "a-fifo"));
        File.Copy(Samples.Program, Path.Combine(folder, "b-program"));

        var run = await CliProcess.RunAsync("analyze", "--json", folder);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var result = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("elf", result.GetProperty("binary").GetProperty("format").GetString());
    }

    [Fact]
    public async Task Analyze_WithFifo_ExitsOneWithOneErrorLineInsteadOfWaiting()
    {
        var fifo = Path.Combine(Samples.NewFolder(), "fifo");
        ExternalTool.Run("mkfifo", fifo);

        var run = await CliProcess.RunAsync("analyze", fifo);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = Assert.Single(run.ErrorLines);
        Assert.Contains(fifo, error, StringComparison.Ordinal);
    }
}
