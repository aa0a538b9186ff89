using System.Text.Json;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

public sealed class MalformedInputTests
{
    [Fact]
    public async Task AnalyzeJson_WithRandomBytes_ExitsZeroWithErrorsInResult()
    {
        var path = Path.Combine(Samples.NewFolder(), "random.bin");
        var bytes = new byte[3000];
        new Random(20240611).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var run = await CliProcess.RunAsync("analyze", "--json", path);

        AssertResultWithErrors(run, expectedFormat: "unknown");
    }

    [Fact]
    public async Task AnalyzeJson_WithTruncatedElf_ExitsZeroWithErrorsInResult()
    {
        var path = Path.Combine(Samples.NewFolder(), "truncated");
        File.WriteAllBytes(path, File.ReadAllBytes(Samples.Program)[..700]);

        var run = await CliProcess.RunAsync("analyze", "--json", path);

        AssertResultWithErrors(run, expectedFormat: "elf");
    }

    [Fact]
    public async Task Analyze_WithTruncatedElfAsText_ListsErrors()
    {
        var path = Path.Combine(Samples.NewFolder(), "truncated");
        File.WriteAllBytes(path, File.ReadAllBytes(Samples.Program)[..700]);

        var run = await CliProcess.RunAsync("analyze", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"(?m)^\s+errors \(\d+\)$", run.Stdout);
        run.AssertNoStackTrace();
    }

    [Fact]
    public async Task AnalyzeJson_WithEmptyFile_ExitsZeroWithErrorsInResult()
    {
        var path = Path.Combine(Samples.NewFolder(), "empty");
        File.WriteAllBytes(path, []);

        var run = await CliProcess.RunAsync("analyze", "--json", path);

        AssertResultWithErrors(run, expectedFormat: "unknown");
    }

    private static void AssertResultWithErrors(CliRun run, string expectedFormat)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        run.AssertNoStackTrace();
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(expectedFormat, json.RootElement.GetProperty("binary").GetProperty("format").GetString());
        Assert.NotEmpty(json.RootElement.GetProperty("errors").EnumerateArray());
    }
}
