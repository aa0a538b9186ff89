using Iced.Intel;

namespace GhidraInsight.Analysis.Functions;

/// <summary>
/// The targets of a <c>switch</c> compiled to a jump table, from the instructions that lead to the indirect jump in the same
/// straight run of code. Two shapes, as gcc, clang and MSVC emit them:
/// <list type="bullet">
/// <item>absolute: <c>jmp [index*8 + table]</c> (<c>*4</c> in 32-bit code), the table holding the targets' addresses;</item>
/// <item>relative: <c>lea base, [rip + table]</c>, <c>movsxd target, dword [base + index*4]</c>, <c>add target, base</c>,
/// <c>jmp target</c>, the table holding 32-bit offsets from its own start.</item>
/// </list>
/// The number of entries comes only from the bounds check before it (<c>cmp index, N</c> then <c>ja</c>/<c>jae</c> to the
/// default case, on the index register or the one it was copied from): without one the jump stays unresolved. Every entry must
/// land in code, or the table is not used at all.
/// </summary>
internal static class JumpTables
{
    /// <summary>More entries than this is not a table a compiler emits for one switch.</summary>
    private const ulong MaxEntries = 4096;

    public static List<ulong>? Resolve(ReadOnlySpan<Instruction> before, in Instruction jump, CodeDecoder decoder)
    {
        var bitness = decoder.Bitness;
        var pointerSize = bitness / 8;
        if (jump.Op0Kind == OpKind.Memory && jump.MemoryBase == Register.None && jump.MemoryIndex != Register.None
            && jump.MemoryIndexScale == pointerSize && bitness != 16)
        {
            // Absolute: the displacement is the table.
            var table = bitness == 64 ? jump.MemoryDisplacement64 : jump.MemoryDisplacement32;
            return Bound(before, jump.MemoryIndex) is { } count ? Read(decoder, table, count, pointerSize, relative: false) : null;
        }
        if (jump.Op0Kind != OpKind.Register || bitness != 64)
        {
            return null;
        }
        // Relative: walk back from the jump through add, movsxd and lea.
        var target = jump.Op0Register.GetFullRegister();
        var i = before.Length - 1;
        for (; i >= 0 && !(before[i].Mnemonic == Mnemonic.Add && before[i].Op0Kind == OpKind.Register && before[i].Op0Register.GetFullRegister() == target
            && before[i].Op1Kind == OpKind.Register); i--)
        {
        }
        if (i < 0)
        {
            return null;
        }
        var tableBase = before[i].Op1Register.GetFullRegister();
        Register index = Register.None;
        ulong? tableAddress = null;
        for (var j = i - 1; j >= 0; j--)
        {
            var instruction = before[j];
            if (index == Register.None && instruction.Mnemonic == Mnemonic.Movsxd && instruction.Op0Register.GetFullRegister() == target
                && instruction.Op1Kind == OpKind.Memory && instruction.MemoryBase.GetFullRegister() == tableBase && instruction.MemoryIndexScale == 4)
            {
                index = instruction.MemoryIndex;
            }
            else if (instruction.Mnemonic == Mnemonic.Lea && instruction.Op0Register.GetFullRegister() == tableBase && instruction.IsIPRelativeMemoryOperand)
            {
                tableAddress = instruction.IPRelativeMemoryAddress;
                break;
            }
        }
        return index != Register.None && tableAddress is { } address && Bound(before, index) is { } entries
            ? Read(decoder, address, entries, 4, relative: true)
            : null;
    }

    /// <summary>The entry count from the last bounds check of <paramref name="index"/> (or of the register it was copied from).</summary>
    private static ulong? Bound(ReadOnlySpan<Instruction> before, Register index)
    {
        var registers = new List<Register> { index.GetFullRegister() };
        for (var i = before.Length - 1; i >= 1; i--)
        {
            var instruction = before[i];
            // The index copied from another register (mov eax, edx; movsxd rax, edx; movzx …): its check counts too.
            if (instruction.Mnemonic is Mnemonic.Mov or Mnemonic.Movsxd or Mnemonic.Movzx && instruction.Op0Kind == OpKind.Register
                && registers.Contains(instruction.Op0Register.GetFullRegister()) && instruction.Op1Kind == OpKind.Register)
            {
                registers.Add(instruction.Op1Register.GetFullRegister());
                continue;
            }
            if (instruction.Mnemonic is not (Mnemonic.Ja or Mnemonic.Jae))
            {
                continue;
            }
            var compare = before[i - 1];
            if (compare.Mnemonic == Mnemonic.Cmp && compare.Op0Kind == OpKind.Register && registers.Contains(compare.Op0Register.GetFullRegister())
                && compare.Op1Kind is OpKind.Immediate8 or OpKind.Immediate8to32 or OpKind.Immediate8to64 or OpKind.Immediate32 or OpKind.Immediate32to64)
            {
                var limit = compare.GetImmediate(1);
                var count = instruction.Mnemonic == Mnemonic.Ja ? limit + 1 : limit;
                return count is > 0 and <= MaxEntries ? count : null;
            }
            return null;
        }
        return null;
    }

    private static List<ulong>? Read(CodeDecoder decoder, ulong table, ulong count, int entrySize, bool relative)
    {
        var targets = new List<ulong>((int)count);
        for (ulong i = 0; i < count; i++)
        {
            if (decoder.ReadData(table + (i * (ulong)entrySize), entrySize) is not { } raw)
            {
                return null;
            }
            var target = relative ? table + (ulong)(long)(int)(uint)raw : raw;
            if (!decoder.IsCode(target))
            {
                return null;
            }
            targets.Add(target);
        }
        return targets;
    }
}
