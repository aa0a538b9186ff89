using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Model;
using Iced.Intel;
using IcedInstruction = Iced.Intel.Instruction;

namespace GhidraInsight.Analysis.Functions;

/// <summary>Disassembles one function in Intel syntax, naming call targets it knows.</summary>
internal static class FunctionDisassembler
{
    private const int MaxInstructions = 200_000;

    public static IReadOnlyList<Model.Instruction> Disassemble(ReadOnlyMemory<byte> data, BinaryImage image, AddressMap map, FunctionInfo function, IReadOnlyCollection<ulong> functionStarts)
    {
        if (image.Arch == "arm64")
        {
            return Arm64.Arm64Discovery.Disassemble(data, image, map, function, functionStarts);
        }
        if (image.X86Bitness is not { } bitness)
        {
            return [];
        }
        var decoder = new CodeDecoder(data, bitness, map);
        var starts = functionStarts as HashSet<ulong> ?? [.. functionStarts];
        var walker = FunctionWalker.For(decoder, image, starts.Contains, MaxInstructions);
        var knownEnd = KnownEnd(image, function.Address);
        var walk = walker.Walk(function.Address, knownEnd);
        var formatter = new IntelFormatter(new NameResolver(FunctionNames.Build(image)));
        formatter.Options.FirstOperandCharIndex = 0;
        formatter.Options.HexPrefix = "0x";
        formatter.Options.HexSuffix = null;
        formatter.Options.UppercaseHex = false;
        formatter.Options.SpaceAfterOperandSeparator = true;
        formatter.Options.BranchLeadingZeros = false;
        var output = new StringOutput();
        var instructions = new List<Model.Instruction>(walk.Instructions.Count);
        foreach (var address in walk.Instructions.Keys.Order())
        {
            if (!decoder.TryDecode(address, out IcedInstruction instruction))
            {
                continue;
            }
            formatter.Format(instruction, output);
            var offset = map.OffsetOf(address)!.Value;
            instructions.Add(new Model.Instruction
            {
                Address = address,
                Bytes = Convert.ToHexStringLower(data.Span.Slice((int)offset, instruction.Length)),
                Mnemonic = instruction.Mnemonic.ToString().ToLowerInvariant(),
                Text = output.ToStringAndReset(),
            });
        }
        return instructions;
    }

    /// <summary>The extent discovery used for the function at <paramref name="address"/>: the metadata's size (symbol, FDE, .pdata) when there is one.</summary>
    internal static ulong? KnownEnd(BinaryImage image, ulong address) =>
        FunctionDiscovery.KnownEnd(image.FunctionSeeds.FirstOrDefault(s => s.Address == address && s.Size > 0));

    private sealed class NameResolver(Dictionary<ulong, string> names) : ISymbolResolver
    {
        public bool TryGetSymbol(in IcedInstruction instruction, int operand, int instructionOperand, ulong address, int addressSize, out SymbolResult symbol)
        {
            if (names.TryGetValue(address, out var name))
            {
                symbol = new SymbolResult(address, name);
                return true;
            }
            symbol = default;
            return false;
        }
    }
}
