using GhidraInsight.Http.Logging;
using System.CommandLine;

namespace GhidraInsight.Cli;

/// <summary>Parses, reports usage errors with exit code 2 in one line each, then runs the chosen command.</summary>
internal static class CommandLineRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var logFormat = new Option<string?>("--log-format")
        {
            Description = $"How long-running commands log on stderr: text (one line per event) or json (one object per event, for log shippers). Also {ServiceLogging.FormatVariable}.",
            Recursive = true,
        };
        logFormat.AcceptOnlyFromAmong([.. ServiceLogging.Formats]);
        root.Options.Add(logFormat);
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
        if (parse.GetValue(logFormat) is { } format)
        {
            // The environment carries it to what this process starts (up's regions and gateway).
            Environment.SetEnvironmentVariable(ServiceLogging.FormatVariable, format);
        }
        else if (Environment.GetEnvironmentVariable(ServiceLogging.FormatVariable) is { Length: > 0 } fromEnvironment
            && !ServiceLogging.Formats.Contains(fromEnvironment, StringComparer.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: {ServiceLogging.FormatVariable} must be text or json, not '{fromEnvironment}'");
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
    }
}
