using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

public sealed class UsageTests
{
    [Fact]
    public async Task Analyze_WithNoFiles_ExitsTwoWithMessage()
    {
        var run = await CliProcess.RunAsync("analyze");

        AssertUsageError(run);
    }

    [Fact]
    public async Task Analyze_WithUnknownOption_ExitsTwoWithMessageNamingIt()
    {
        var run = await CliProcess.RunAsync("analyze", "--bogus", "x");

        AssertUsageError(run);
        Assert.Contains("--bogus", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_WithUnknownOptionBeforeGoodFile_ExitsTwoWithoutAnalysing()
    {
        var run = await CliProcess.RunAsync("analyze", "--bogus", Samples.Program);

        AssertUsageError(run);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Analyze_WithFunctionAddressThatIsNotHex_ExitsTwoWithMessage()
    {
        var run = await CliProcess.RunAsync("analyze", "--function", "zzz", Samples.Program);

        AssertUsageError(run);
        Assert.Contains("zzz", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwoWithMessageNamingIt()
    {
        var run = await CliProcess.RunAsync("frobnicate");

        AssertUsageError(run);
        Assert.Contains("frobnicate", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Root_WithHelp_ExitsZeroAndListsAnalyze(string help)
    {
        var run = await CliProcess.RunAsync(help);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("analyze", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_WithHelp_ExitsZeroAndDescribesItsOptions()
    {
        var run = await CliProcess.RunAsync("analyze", "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--json", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--function", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("up")]
    [InlineData("serve")]
    [InlineData("failover")]
    [InlineData("regions")]
    public async Task UnfinishedCommand_WithHelp_ExitsZero(string command)
    {
        var run = await CliProcess.RunAsync(command, "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("failover")]
    [InlineData("failover", "--to", "eu-west-1", "--url", "not a url")]
    public async Task Failover_WithoutATargetOrWithABadUrl_ExitsTwoWithMessage(params string[] args)
    {
        var run = await CliProcess.RunAsync(args);

        AssertUsageError(run);
    }

    [Fact]
    public async Task Failover_WhenNoRegionAnswers_ExitsOneWithOneLine()
    {
        var run = await CliProcess.RunAsync("failover", "--to", "eu-west-1", "--url", "http://127.0.0.1:9");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("ghidrainsight: cannot reach http://127.0.0.1:9/", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        run.AssertNoStackTrace();
    }

    private static void AssertUsageError(CliRun run)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.NotEmpty(run.ErrorLines);
        Assert.StartsWith("ghidrainsight: ", run.ErrorLines[0], StringComparison.Ordinal);
        run.AssertNoStackTrace();
    }
}
