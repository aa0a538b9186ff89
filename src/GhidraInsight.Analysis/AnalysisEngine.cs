using System.Security.Cryptography;
using GhidraInsight.Analysis.Entropy;
using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Functions;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis;

/// <summary>
/// Analyses ELF, PE and Mach-O binaries. Pure: bytes in, <see cref="AnalysisResult"/> out, no I/O.
/// Malformed input never throws: the result holds what could be read and <see cref="AnalysisResult.Errors"/> the rest.
/// </summary>
/// <param name="options">Limits; <see cref="AnalysisOptions.Default"/> when null.</param>
/// <param name="timeProvider">Clock of the time budget; <see cref="TimeProvider.System"/> when null.</param>
public sealed class AnalysisEngine(AnalysisOptions? options = null, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Changes whenever the output for the same bytes can change.</summary>
    /// <remarks>
    /// 1.1.0: function starts inferred from code pointers and gaps, calls that do not return, jump tables followed.
    /// 1.2.0: AArch64 (ELF aarch64, Mach-O arm64) functions, calls and disassembly; a confidence per function; gap starts only
    /// of the shapes that are functions when the file has no unwind information.
    /// 1.3.0: MSVC's jump tables (x64 RVAs off the image base, case-number byte tables); a table's bounds check counts only
    /// when nothing changes the index after it; jump tables in code are not searched for functions; a call before padding and
    /// a function-like start does not return, a jump to one is a tail call, far jumps are not followed without unwind tables.
    /// 1.4.0: the whole file's entropy over offset (<see cref="EntropyInfo.BlockSize"/>, <see cref="EntropyInfo.Profile"/>).
    /// </remarks>
    public const string Version = "1.4.0";

    public AnalysisOptions Options { get; } = options ?? AnalysisOptions.Default;

    /// <summary>Analyses <paramref name="data"/>.</summary>
    /// <exception cref="InputTooLargeException">The input exceeds <see cref="AnalysisOptions.MaxInputSize"/>.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled (the time budget only shortens the result).</exception>
    public AnalysisResult Analyze(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (data.Length > Options.MaxInputSize)
        {
            throw new InputTooLargeException(data.Length, Options.MaxInputSize);
        }
        using var timer = new CancellationTokenSource(Options.TimeBudget, _time);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var run = new AnalysisRun(data, Options, budget.Token, cancellationToken);
        return run.Execute();
    }

    /// <summary>
    /// The function at or containing <paramref name="address"/>, with disassembly, calls and callers;
    /// null when no function of <paramref name="result"/> holds that address.
    /// </summary>
    public FunctionDetail? DescribeFunction(ReadOnlyMemory<byte> data, AnalysisResult result, ulong address, CancellationToken cancellationToken = default)
    {
        var images = ParseImages(data, cancellationToken);
        var analyses = result.Slices.Count > 0 ? result.Slices.Select(s => s.Analysis).ToList() : [result];
        for (var i = 0; i < analyses.Count && i < images.Count; i++)
        {
            var functions = analyses[i].Functions;
            var function = FindContaining(functions, address);
            if (function is null)
            {
                continue;
            }
            var image = images[i];
            var map = new AddressMap(image.Regions);
            var starts = functions.Select(f => f.Address).ToHashSet();
            return new FunctionDetail
            {
                Function = function,
                Callers = [.. functions.Where(f => f.Calls.Contains(function.Address)).Select(f => f.Address)],
                Instructions = FunctionDisassembler.Disassemble(data, image, map, function, starts),
            };
        }
        return null;
    }

    internal static IReadOnlyList<BinaryImage> ParseImages(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var format = FormatRegistry.Detect(data.Span);
        return format is null ? [] : format.Parse(data, cancellationToken);
    }

    private static FunctionInfo? FindContaining(IReadOnlyList<FunctionInfo> functions, ulong address)
    {
        FunctionInfo? best = null;
        foreach (var f in functions)
        {
            if (f.Address == address)
            {
                return f;
            }
            if (address > f.Address && address - f.Address < (ulong)Math.Max(f.Size, 1) && (best is null || f.Address > best.Address))
            {
                best = f;
            }
        }
        return best;
    }
}
