using System.Diagnostics;
using GhidraInsight.Cli.Tests.Support;

namespace GhidraInsight.Cli.Tests;

public sealed class LauncherScriptTests
{
    [Fact]
    public void Launcher_BuildsOnce_ThenStartsWithoutRebuilding()
    {
        var script = Repository.Launcher;

        // The first call may build (or not, if an earlier run did); the second must not.
        var first = Run(script, "--help");
        var second = Run(script, "--help");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("analyze", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("building", second.Stderr, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string script, string args)
    {
        var psi = new ProcessStartInfo(script, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("./ghidrainsight did not finish in 5 minutes");
        }
        return (process.ExitCode, stdout, stderr.Result);
    }
}
