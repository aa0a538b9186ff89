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
        var queue = new Queue<ulong>(starts.Keys.Order());
        var walker = new FunctionWalker(decoder, starts.ContainsKey, MaxInstructionsPerFunction);
        var functions = new List<FunctionInfo>();
        var done = new HashSet<ulong>();
        while (queue.Count > 0)
        {
            var address = queue.Dequeue();
            if (!done.Add(address))
            {
                continue;
            }
            if (functions.Count >= maxFunctions)
            {
                image.AddError("limit", $"more than {maxFunctions} functions; the rest are not listed");
                break;
            }
            if ((done.Count & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            var seed = starts[address];
            var knownEnd = seed.Size is > 0 ? address + (ulong)seed.Size.Value : (ulong?)null;
            var walk = walker.Walk(address, knownEnd);
            foreach (var target in walk.Calls.Concat(walk.TailCalls))
            {
                if (!starts.ContainsKey(target) && decoder.IsCode(target))
                {
                    starts[target] = new FunctionSeed(target, null, "call");
                    queue.Enqueue(target);
                }
            }
            functions.Add(new FunctionInfo
            {
                Address = address,
                Name = seed.Name ?? names.GetValueOrDefault(address),
                Size = seed.Size is > 0 ? seed.Size.Value : (long)(walk.End - address),
                InstructionCount = walk.Instructions.Count,
                Source = seed.Source,
                Calls = [.. walk.Calls],
            });
        }
        functions.Sort((a, b) => a.Address.CompareTo(b.Address));
        return functions;
    }

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
