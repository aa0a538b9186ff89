using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

public sealed class LauncherScriptTests
{
    [Fact]
    public void Launcher_BuildsOnce_ThenStartsWithoutRebuilding()
    {
        // The first call may build (or not, if an earlier run did); the second must not.
        var first = LauncherProcess.Run("--help");
        var second = LauncherProcess.Run("--help");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("analyze", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("building", second.Stderr, StringComparison.Ordinal);
    }
}
