using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Functions;

/// <summary>
/// Finds the functions of x86/x64 images: starts from the file's metadata (symbols, entry point, unwind
/// tables, function-starts lists), then every direct call target reached by recursive descent, then the starts
/// <see cref="StartInference"/> infers where the metadata is silent.
/// </summary>
internal static class FunctionDiscovery
{
    private const int MaxInstructionsPerFunction = 200_000;

    public static List<FunctionInfo> Discover(ReadOnlyMemory<byte> data, BinaryImage image, AddressMap map, int maxFunctions, CancellationToken cancellationToken)
    {
        if (image.Arch == "arm64")
        {
            return Arm64.Arm64Discovery.Discover(data, image, map, maxFunctions, cancellationToken);
        }
        if (image.X86Bitness is not { } bitness)
        {
            return [];
        }
        var decoder = new CodeDecoder(data, bitness, map);
        var names = FunctionNames.Build(image);
        var starts = new Dictionary<ulong, FunctionSeed>();
        // The same keys as starts, for the walks' many "is this another function's start?" questions.
        var isStart = new CodeAddressSet(map.Regions);
        foreach (var seed in image.FunctionSeeds)
        {
            if (decoder.IsCode(seed.Address))
            {
                starts[seed.Address] = starts.TryGetValue(seed.Address, out var known) ? Merge(known, seed) : seed;
                isStart.Add(seed.Address);
            }
        }
        // First pass: follow calls until no new start appears; then starts inferred where the file says nothing (code whose
        // address is taken, code nothing reached), each followed the same way. Second pass: with the complete set of starts,
        // walk again each function whose walk asked about an address that has become a start since (so a jump into a function
        // found late counts as a tail call everywhere); every other walk would come out the same, and is kept.
        var walker = FunctionWalker.For(decoder, image, isStart.Contains, MaxInstructionsPerFunction, cancellationToken);
        var firstWalks = new Dictionary<ulong, WalkSummary>();
        var claimed = new CodeAddressSet(map.Regions);
        var claimedStarts = new CodeAddressSet(map.Regions);
        var jumpedTo = new CodeAddressSet(map.Regions);
        var references = new List<ulong>();
        // The confidence of each start inferred rather than stated or called (gap starts, jump targets that begin as functions).
        var inferred = new Dictionary<ulong, double>();
        // Code and data hold absolute addresses (immediates, pointers stored as they are) unless the file is a position-
        // independent ELF, whose pointers are zeros that relocations fill in (ElfRelocationReader reads those).
        var absoluteAddresses = image.Format != "elf" || image.Mitigations.Pie != true;
        var walked = 0;
        void Follow(Queue<ulong> queue)
        {
            while (queue.Count > 0 && starts.Count <= maxFunctions)
            {
                var address = queue.Dequeue();
                if ((++walked & 0xFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                var walk = walker.Walk(address, KnownEnd(starts[address]));
                Record(address, walk);
                QueueTargets(walk, queue);
            }
        }
        void QueueTargets(FunctionWalk walk, Queue<ulong> queue)
        {
            foreach (var target in walk.Calls.Concat(walk.TailCalls))
            {
                if (decoder.IsCode(target) && isStart.Add(target))
                {
                    if (walk.JumpedToStarts.TryGetValue(target, out var confidence) && !walk.Calls.Contains(target))
                    {
                        starts[target] = new FunctionSeed(target, null, "jump");
                        inferred[target] = confidence;
                    }
                    else
                    {
                        starts[target] = new FunctionSeed(target, null, "call");
                    }
                    queue.Enqueue(target);
                }
            }
        }
        void Record(ulong address, FunctionWalk walk)
        {
            firstWalks[address] = WalkSummary.Of(walk);
            foreach (var (at, length) in walk.Instructions)
            {
                claimedStarts.Add(at);
                claimed.AddRange(at, length);
            }
            // A jump table in code is no gap to find functions in.
            foreach (var (at, length) in walk.Tables)
            {
                if (decoder.IsCode(at))
                {
                    claimed.AddRange(at, length);
                }
            }
            references.AddRange(walk.References);
            if (absoluteAddresses)
            {
                references.AddRange(walk.Immediates);
            }
            foreach (var target in walk.JumpTargets)
            {
                jumpedTo.Add(target);
            }
        }
        Follow(new Queue<ulong>(starts.Keys.Order()));
        var inference = new StartInference(decoder, walker, isStart, claimed, claimedStarts, jumpedTo, map, data, absoluteAddresses, cancellationToken);
        foreach (var (address, source, walk, confidence) in inference.Infer(image, references, () => starts.Count <= maxFunctions))
        {
            starts[address] = new FunctionSeed(address, null, source);
            inferred[address] = confidence;
            isStart.Add(address);
            Record(address, walk);
            var queue = new Queue<ulong>();
            QueueTargets(walk, queue);
            Follow(queue);
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
            var walk = firstWalks.TryGetValue(seed.Address, out var first) && !first.NotOtherFunctions.Any(isStart.Contains)
                ? first
                : WalkSummary.Of(walker.Walk(seed.Address, KnownEnd(seed)));
            functions.Add(new FunctionInfo
            {
                Address = seed.Address,
                Name = seed.Name ?? names.GetValueOrDefault(seed.Address),
                Size = seed.Size is > 0 ? seed.Size.Value : (long)(walk.End - seed.Address),
                InstructionCount = walk.InstructionCount,
                Source = seed.Source,
                Confidence = inferred.TryGetValue(seed.Address, out var confidence) ? confidence : FunctionConfidence.Of(seed.Source),
                Calls = walk.Calls,
            });
        }
        functions.Sort((a, b) => a.Address.CompareTo(b.Address));
        return functions;
    }

    /// <summary>What a function's listing needs from a walk, and what decides whether it must be walked again.</summary>
    private sealed record WalkSummary(ulong End, int InstructionCount, ulong[] Calls, ulong[] NotOtherFunctions)
    {
        public static WalkSummary Of(FunctionWalk walk) => new(walk.End, walk.Instructions.Count, [.. walk.Calls], [.. walk.NotOtherFunctions]);
    }

    /// <summary>One past the function's last byte when the metadata gives its size.</summary>
    internal static ulong? KnownEnd(FunctionSeed seed) => seed.Size is > 0 ? seed.Address + (ulong)seed.Size.Value : null;

    /// <summary>Keeps the best of two facts about the same start: a name, a size, the most specific source.</summary>
    internal static FunctionSeed Merge(FunctionSeed known, FunctionSeed other) => new(
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
