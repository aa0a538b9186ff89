using System.CommandLine;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Cli.Analyzing;
using GhidraInsight.Cli.Output;

namespace GhidraInsight.Cli.Commands;

/// <summary>
/// <c>ghidrainsight analyze FILE... [--json] [--function ADDR] [--server URL]</c>: analyse locally, or upload to a server. The
/// same command runs in the ahead-of-time compiled analyser, which has no <paramref name="remote"/> and so no <c>--server</c>.
/// </summary>
internal static class AnalyzeCommand
{
    /// <param name="remote">Makes the analyser that uploads to a server (its URL, the API key); null where there is none.</param>
    public static Command Create(Func<Uri, string?, IFileAnalyzer>? remote)
    {
        var files = new Argument<string[]>("files") { Description = "Binaries or directories to analyse.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the full analysis as JSON (an array for several files)." };
        var function = new Option<string?>("--function") { Description = "Print one function's disassembly, calls and callers (hex address, e.g. 0x401126)." };
        var server = new Option<string?>("--server") { Description = "Upload to a GhidraInsight server (e.g. http://127.0.0.1:3101) instead of analysing here." };
        var apiKey = new Option<string?>("--api-key") { Description = "API key for --server (default: the GHIDRA_API_KEY environment variable)." };
        // System.CommandLine takes an unknown "--bogus" as a file name; a usage error is what the user needs.
        files.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-' && !File.Exists(token.Value) && !Directory.Exists(token.Value))
                {
                    result.AddError($"Unrecognized option '{token.Value}'.");
                }
            }
        });
        var command = new Command("analyze", "Analyse ELF, PE and Mach-O files locally.") { files, json, function };
        if (remote is not null)
        {
            command.Options.Add(server);
            command.Options.Add(apiKey);
        }
        command.SetAction((parse, cancellationToken) =>
        {
            var (url, key) = remote is null ? (null, null) : (parse.GetValue(server), parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("GHIDRA_API_KEY"));
            return RunAsync(parse.GetValue(files)!, parse.GetValue(json), parse.GetValue(function), url, key, remote, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string[] arguments, bool json, string? functionText, string? serverText, string? apiKey,
        Func<Uri, string?, IFileAnalyzer>? remote, CancellationToken cancellationToken)
    {
        Uri? server = null;
        if (serverText is not null && (!Uri.TryCreate(serverText, UriKind.Absolute, out server) || server.Scheme is not ("http" or "https")))
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: --server expects a URL like http://127.0.0.1:3101, not '{serverText}'");
            return ExitCodes.Usage;
        }
        ulong? functionAddress = null;
        if (functionText is not null)
        {
            if (!HexAddressConverter.TryParse(functionText, out var parsed))
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: --function expects a hex address like 0x401126, not '{functionText}'");
                return ExitCodes.Usage;
            }
            functionAddress = parsed;
        }
        var (paths, inputErrors) = InputFiles.Expand(arguments);
        foreach (var error in inputErrors)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: {error}");
        }
        if (functionAddress is not null && paths.Count != 1)
        {
            await Console.Error.WriteLineAsync("ghidrainsight: --function needs exactly one file");
            return ExitCodes.Usage;
        }

        var analyzer = server is not null && remote is not null ? remote(server, apiKey) : new LocalAnalyzer();
        using var disposing = analyzer as IDisposable;
        var results = new List<FileAnalysis>();
        var failed = inputErrors.Count > 0;
        await Progress.RunAsync(paths, async (path, advance) =>
        {
            var analysis = await analyzer.AnalyzeAsync(path, cancellationToken);
            if (analysis.Error is not null)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: {analysis.Error}");
                failed = true;
            }
            else
            {
                results.Add(analysis);
            }
            advance();
        });

        if (functionAddress is { } address && results.Count == 1)
        {
            var lookup = await analyzer.DescribeFunctionAsync(results[0], address, cancellationToken);
            if (lookup.Error is not null)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: {lookup.Error}");
                return ExitCodes.Failure;
            }
            await StandardOutput.WriteAsync(json ? lookup.Json + "\n" : FunctionText.Render(lookup.Detail!), cancellationToken);
            return ExitCodes.Success;
        }

        if (json)
        {
            // The shape follows what was asked for, not what could be read: one file gives an object, anything more an array.
            IEnumerable<ReadOnlyMemory<byte>> output = arguments.Length == 1 && results.Count == 1 && !Directory.Exists(arguments[0])
                ? [results[0].Json!, "\n"u8.ToArray()]
                : ["["u8.ToArray(), .. results.SelectMany((r, i) => i == 0 ? [r.Json!] : new ReadOnlyMemory<byte>[] { ",\n"u8.ToArray(), r.Json! }), "]\n"u8.ToArray()];
            await StandardOutput.WriteAsync(output, cancellationToken);
        }
        else
        {
            foreach (var analysis in results)
            {
                await StandardOutput.WriteAsync(SummaryText.Render(analysis.Path, analysis.Result!), cancellationToken);
            }
        }
        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }
}
