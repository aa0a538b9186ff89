using System.CommandLine;
using System.Text.Json;
using GhidraInsight.Analysis;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Analysis.Model;
using GhidraInsight.Cli.Output;

namespace GhidraInsight.Cli.Commands;

/// <summary><c>ghidrainsight analyze FILE... [--json] [--function ADDR]</c>: analyse locally, no server needed.</summary>
internal sealed class AnalyzeCommand
{
    private readonly AnalysisEngine _engine = new();

    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Binaries or directories to analyse.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the full analysis as JSON (an array for several files)." };
        var function = new Option<string?>("--function") { Description = "Print one function's disassembly, calls and callers (hex address, e.g. 0x401126)." };
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
        command.SetAction((parse, cancellationToken) =>
        {
            var handler = new AnalyzeCommand();
            return handler.RunAsync(parse.GetValue(files)!, parse.GetValue(json), parse.GetValue(function), cancellationToken);
        });
        return command;
    }

    private async Task<int> RunAsync(string[] arguments, bool json, string? functionText, CancellationToken cancellationToken)
    {
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

        var results = new List<(string Path, AnalysisResult Result, byte[] Bytes)>();
        var failed = inputErrors.Count > 0;
        await Progress.RunAsync(paths, async (path, advance) =>
        {
            var outcome = await AnalyzeFileAsync(path, cancellationToken);
            if (outcome is { } ok)
            {
                results.Add((path, ok.Result, functionAddress is null ? [] : ok.Bytes));
            }
            else
            {
                failed = true;
            }
            advance();
        });

        if (functionAddress is { } address && results.Count == 1)
        {
            var (path, result, bytes) = results[0];
            var detail = _engine.DescribeFunction(bytes, result, address, cancellationToken);
            if (detail is null)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: {path}: no function at {HexAddressConverter.Format(address)}");
                return ExitCodes.Failure;
            }
            Console.Out.Write(json ? JsonSerializer.Serialize(detail, AnalysisJson.IndentedOptions) + "\n" : FunctionText.Render(detail));
            return ExitCodes.Success;
        }

        if (json)
        {
            // The shape follows what was asked for, not what could be read: one file gives an object, anything more an array.
            var output = arguments.Length == 1 && results.Count == 1 && !Directory.Exists(arguments[0])
                ? JsonSerializer.Serialize(results[0].Result, AnalysisJson.IndentedOptions)
                : JsonSerializer.Serialize(results.Select(r => r.Result).ToList(), AnalysisJson.IndentedOptions);
            await Console.Out.WriteLineAsync(output);
        }
        else
        {
            foreach (var (path, result, _) in results)
            {
                await Console.Out.WriteAsync(SummaryText.Render(path, result));
            }
        }
        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    private async Task<(AnalysisResult Result, byte[] Bytes)?> AnalyzeFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > _engine.Options.MaxInputSize)
            {
                await Console.Error.WriteLineAsync($"ghidrainsight: {path}: file is {length} bytes; the limit is {_engine.Options.MaxInputSize} bytes");
                return null;
            }
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            return (_engine.Analyze(bytes, cancellationToken), bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InputTooLargeException)
        {
            await Console.Error.WriteLineAsync($"ghidrainsight: cannot read {path}: {ex.Message}");
            return null;
        }
    }
}
