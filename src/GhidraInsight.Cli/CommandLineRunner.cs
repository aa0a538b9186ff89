using System.CommandLine;
using GhidraInsight.Cli.Output;

namespace GhidraInsight.Cli;

/// <summary>Parses, reports usage errors with exit code 2 in one line each, then runs the chosen command.</summary>
internal static class CommandLineRunner
{
    /// <summary>
    /// Runs <paramref name="root"/> on <paramref name="args"/>. <paramref name="prepare"/>, when given, sees the parsed command line
    /// before the command runs and may refuse it with a message (a usage error).
    /// </summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, Func<ParseResult, string?>? prepare = null)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: {error.Message}");
            }
            await Console.Error.WriteLineAsync("Run 'ghidrainsight --help' for usage.");
            return ExitCodes.Usage;
        }
        if (prepare?.Invoke(parse) is { } refusal)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: {refusal}");
            return ExitCodes.Usage;
        }
        // Not disposed: a second Ctrl+C (or the SIGINT a terminal sends to every process of `up`) can arrive while the process
        // is finishing, and the handler must then find a source it can still cancel, not throw on the signal thread.
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            // On SIGINT/SIGTERM the command is given time to stop what it started (up: the gateway, the regions, then Patroni,
            // PostgreSQL and etcd) before the process is ended anyway; System.CommandLine's default of two seconds cut that short.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(90) },
                cancel.Token);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("ghidrainsight: cancelled");
            return ExitCodes.Failure;
        }
        catch (OutputFailedException exception)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: {exception.Message}");
            return ExitCodes.Failure;
        }
    }
}
