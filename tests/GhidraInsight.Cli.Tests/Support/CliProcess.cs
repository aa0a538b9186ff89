using System.Diagnostics;

namespace GhidraInsight.Cli.Tests.Support;

/// <summary>
/// Runs the real, built CLI (<c>ghidrainsight.dll</c>, copied next to the tests by the project reference)
/// as a child process, the way a user runs it.
/// </summary>
internal static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var process = CliStart.Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"ghidrainsight {string.Join(' ', args)} did not finish in {Timeout.TotalMinutes} minutes");
        }
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
