using System.Diagnostics;

namespace GhidraInsight.Cli.Tests;

public sealed class LauncherScriptTests
{
    [Fact]
    public void Launcher_BuildsOnce_ThenStartsWithoutRebuilding()
    {
        var root = RepositoryRoot();
        var script = Path.Combine(root, "ghidrainsight");

        // The first call may build (or not, if an earlier run did); the second must not.
        var first = Run(script, "--help");
        var second = Run(script, "--help");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("analyze", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("building", second.Stderr, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ghidrainsight")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root (with ./ghidrainsight) not found above the test output");
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
