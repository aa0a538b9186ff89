using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Functions.Arm64;

/// <summary>
/// Finds the functions of AArch64 images (ELF aarch64, Mach-O arm64): the starts the file names (symbols, entry point,
/// <c>.eh_frame</c>, <c>LC_FUNCTION_STARTS</c>), then every <c>bl</c> target and tail call reached by recursive descent.
/// Without Capstone the file's own starts are listed, unwalked, and the analysis says why.
/// </summary>
internal static class Arm64Discovery
{
    private const int MaxInstructionsPerFunction = 200_000;

    public static List<FunctionInfo> Discover(ReadOnlyMemory<byte> data, BinaryImage image, AddressMap map, int maxFunctions, CancellationToken cancellationToken)
    {
        using var decoder = Arm64Decoder.Open(data, map, out var why);
        var names = FunctionNames.Build(image);
        var starts = new Dictionary<ulong, FunctionSeed>();
        foreach (var seed in image.FunctionSeeds)
        {
            if (seed.Address % 4 == 0 && map.RegionAt(seed.Address) is { Executable: true })
            {
                starts[seed.Address] = starts.TryGetValue(seed.Address, out var known) ? FunctionDiscovery.Merge(known, seed) : seed;
            }
        }
        if (decoder is null)
        {
            image.AddError("disassembly", why!);
            return [.. starts.Values.OrderBy(s => s.Address).Take(maxFunctions).Select(s => new FunctionInfo
            {
                Address = s.Address,
                Name = s.Name ?? names.GetValueOrDefault(s.Address),
                Size = s.Size ?? 0,
                Source = s.Source,
                Calls = [],
            })];
        }

        var isStart = new HashSet<ulong>(starts.Keys);
        var walker = new Arm64Walker(decoder, isStart.Contains, MaxInstructionsPerFunction, cancellationToken);
        var walks = new Dictionary<ulong, FunctionWalk>();
        var queue = new Queue<ulong>(starts.Keys.Order());
        while (queue.Count > 0 && starts.Count <= maxFunctions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var address = queue.Dequeue();
            var walk = walker.Walk(address, FunctionDiscovery.KnownEnd(starts[address]));
            walks[address] = walk;
            foreach (var target in walk.Calls.Concat(walk.TailCalls))
            {
                if (decoder.IsCode(target) && isStart.Add(target))
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
            // A walk that ran into a start found after it is made again, so it ends there as every other walk does.
            var walk = walks.TryGetValue(seed.Address, out var first) && !first.NotOtherFunctions.Any(isStart.Contains)
                ? first
                : walker.Walk(seed.Address, FunctionDiscovery.KnownEnd(seed));
            functions.Add(new FunctionInfo
            {
                Address = seed.Address,
                Name = seed.Name ?? names.GetValueOrDefault(seed.Address),
                Size = seed.Size is > 0 ? seed.Size.Value : (long)(walk.End - seed.Address),
                InstructionCount = walk.Instructions.Count,
                Source = seed.Source,
                Confidence = FunctionConfidence.Of(seed.Source),
                Calls = [.. walk.Calls],
            });
        }
        return functions;
    }

    /// <summary>The function's instructions in address order, with the names of the functions its branches reach.</summary>
    public static IReadOnlyList<Instruction> Disassemble(ReadOnlyMemory<byte> data, BinaryImage image, AddressMap map, FunctionInfo function,
        IReadOnlyCollection<ulong> functionStarts)
    {
        using var decoder = Arm64Decoder.Open(data, map, out _);
        if (decoder is null)
        {
            return [];
        }
        var starts = functionStarts as HashSet<ulong> ?? [.. functionStarts];
        var knownEnd = FunctionDisassembler.KnownEnd(image, function.Address);
        var walk = new Arm64Walker(decoder, starts.Contains, MaxInstructionsPerFunction).Walk(function.Address, knownEnd);
        var names = FunctionNames.Build(image);
        var instructions = new List<Instruction>(walk.Instructions.Count);
        foreach (var address in walk.Instructions.Keys.Order())
        {
            if (!decoder.TryDecode(address, out var instruction))
            {
                continue;
            }
            var text = instruction.Text;
            if (instruction.Target is { } target && names.TryGetValue(target, out var name))
            {
                // `bl #0x1010` reads `bl square`, as the x86 listing names its call targets.
                text = $"{instruction.Mnemonic} {instruction.Operands[..instruction.Operands.LastIndexOf('#')]}{name}";
            }
            var offset = map.OffsetOf(address)!.Value;
            instructions.Add(new Instruction
            {
                Address = address,
                Bytes = Convert.ToHexStringLower(data.Span.Slice((int)offset, instruction.Length)),
                Mnemonic = instruction.Mnemonic,
                Text = text,
            });
        }
        return instructions;
    }
}
