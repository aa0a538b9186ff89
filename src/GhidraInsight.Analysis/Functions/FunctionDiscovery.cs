using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Functions;

/// <summary>
/// Finds the functions of x86/x64 images: starts from the file's metadata (symbols, entry point, unwind
/// tables, function-starts lists), then every direct call target reached by recursive descent.
/// </summary>
internal static class FunctionDiscovery
{
    private const int MaxInstructionsPerFunction = 200_000;

    public static List<FunctionInfo> Discover(ReadOnlyMemory<byte> data, BinaryImage image, AddressMap map, int maxFunctions, CancellationToken cancellationToken)
    {
        if (image.X86Bitness is not { } bitness)
        {
            return [];
        }
        var decoder = new CodeDecoder(data, bitness, map);
        var names = FunctionNames.Build(image);
        var starts = new Dictionary<ulong, FunctionSeed>();
        foreach (var seed in image.FunctionSeeds)
        {
            if (decoder.IsCode(seed.Address))
            {
                starts[seed.Address] = starts.TryGetValue(seed.Address, out var known) ? Merge(known, seed) : seed;
            }
        }
        // First pass: follow calls until no new start appears. Second pass: walk each function once more with
        // the complete set of starts, so a jump into a function found late counts as a tail call everywhere.
        var walker = new FunctionWalker(decoder, starts.ContainsKey, MaxInstructionsPerFunction, cancellationToken);
        var queue = new Queue<ulong>(starts.Keys.Order());
        var walked = 0;
        while (queue.Count > 0 && starts.Count <= maxFunctions)
        {
            var address = queue.Dequeue();
            if ((++walked & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            var walk = walker.Walk(address, KnownEnd(starts[address]));
            foreach (var target in walk.Calls.Concat(walk.TailCalls))
            {
                if (!starts.ContainsKey(target) && decoder.IsCode(target))
                {
                    starts[target] = new FunctionSeed(target, null, "call");
                    queue.Enqueue(target);
                }
            }
        }
        if (starts.Count > maxFunctions)
        {
            image.AddError("limit", $"more than {maxFunctions} functions; the rest are not listed");
        }
        var functions = new List<FunctionInfo>(Math.Min(starts.Count, maxFunctions));
        foreach (var seed in starts.Values.OrderBy(s => s.Address).Take(maxFunctions))
        {
            if ((functions.Count & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            var walk = walker.Walk(seed.Address, KnownEnd(seed));
            functions.Add(new FunctionInfo
            {
                Address = seed.Address,
                Name = seed.Name ?? names.GetValueOrDefault(seed.Address),
                Size = seed.Size is > 0 ? seed.Size.Value : (long)(walk.End - seed.Address),
                InstructionCount = walk.Instructions.Count,
                Source = seed.Source,
                Calls = [.. walk.Calls],
            });
        }
        functions.Sort((a, b) => a.Address.CompareTo(b.Address));
        return functions;
    }

    private static ulong? KnownEnd(FunctionSeed seed) => seed.Size is > 0 ? seed.Address + (ulong)seed.Size.Value : null;

    /// <summary>Keeps the best of two facts about the same start: a name, a size, the most specific source.</summary>
    private static FunctionSeed Merge(FunctionSeed known, FunctionSeed other) => new(
        known.Address,
        known.Name ?? other.Name,
        Rank(other.Source) < Rank(known.Source) ? other.Source : known.Source,
        known.Size is > 0 ? known.Size : other.Size);

    private static int Rank(string source) => source switch
    {
        "symbol" => 0,
        "export" => 1,
        "entry" => 2,
        _ => 3,
    };
}
