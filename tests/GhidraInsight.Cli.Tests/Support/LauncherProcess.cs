using System.Diagnostics;

namespace GhidraInsight.Cli.Tests.Support;

/// <summary>Runs <c>./ghidrainsight</c>, the launcher users run (it builds when a source changed), without inherited <c>GHIDRA_*</c> variables.</summary>
internal static class LauncherProcess
{
    public static ProcessStartInfo Info(params string[] arguments)
    {
        var psi = new ProcessStartInfo(Repository.Launcher, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("GHIDRA_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(name);
        }
        return psi;
    }

    /// <summary>Runs it to completion (5 minutes at most, a build included).</summary>
    public static CliRun Run(params string[] arguments)
    {
        using var process = Process.Start(Info(arguments))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"./ghidrainsight {string.Join(' ', arguments)} did not finish in 5 minutes");
        }
        return new CliRun(process.ExitCode, stdout, stderr.Result);
    }
}
