using Iced.Intel;

namespace GhidraInsight.Analysis.Functions;

/// <summary>
/// The targets of a <c>switch</c> compiled to a jump table, from the instructions that lead to the indirect jump in the same
/// straight run of code. The shapes gcc, clang and MSVC emit:
/// <list type="bullet">
/// <item>absolute: <c>jmp [index*8 + table]</c> (<c>*4</c> in 32-bit code), the table holding the targets' addresses;</item>
/// <item>relative to the table (gcc, clang): <c>lea base, [rip + table]</c>, <c>movsxd target, dword [base + index*4]</c>,
/// <c>add target, base</c>, <c>jmp target</c>, the table holding signed 32-bit offsets from its own start;</item>
/// <item>relative to the image (MSVC x64): <c>lea base, [rip + __ImageBase]</c>, <c>mov target32, dword [base + index*4 +
/// table_rva]</c>, <c>add target, base</c>, <c>jmp target</c>, the table holding the targets' RVAs;</item>
/// <item>with any of them, a table of case numbers first (MSVC for sparse cases): <c>movzx index, byte [bytes + case]</c>
/// (<c>[base + case + bytes_rva]</c> on x64), the jump table then having as many entries as the largest byte allows.</item>
/// </list>
/// The number of entries comes only from the bounds check before it (<c>cmp index, N</c> then <c>ja</c>/<c>jae</c> to the
/// default case, on the index register or the one it was copied from), and only when nothing else changes the index between
/// the check and its use: without one the jump stays unresolved. Every entry must land in code, or the table is not used.
/// The tables' bytes are data, even where they sit in an executable section (MSVC puts them after the function).
/// </summary>
internal static class JumpTables
{
    /// <summary>More entries than this is not a table a compiler emits for one switch.</summary>
    private const ulong MaxEntries = 4096;

    /// <summary>The cases' addresses, and in <paramref name="tables"/> where the tables used lie; null when not resolved.</summary>
    public static List<ulong>? Resolve(ReadOnlySpan<Instruction> before, in Instruction jump, CodeDecoder decoder, List<(ulong Start, int Length)> tables)
    {
        var found = new List<(ulong, int)>(2);
        if (Targets(before, jump, decoder, found) is not { } targets)
        {
            return null;
        }
        tables.AddRange(found);
        return targets;
    }

    private static List<ulong>? Targets(ReadOnlySpan<Instruction> before, in Instruction jump, CodeDecoder decoder, List<(ulong, int)> tables)
    {
        var bitness = decoder.Bitness;
        var pointerSize = bitness / 8;
        if (jump.Op0Kind == OpKind.Memory && jump.MemoryBase == Register.None && jump.MemoryIndex != Register.None
            && jump.MemoryIndexScale == pointerSize && bitness != 16)
        {
            // Absolute: the displacement is the table.
            var table = bitness == 64 ? jump.MemoryDisplacement64 : jump.MemoryDisplacement32;
            return Bound(before, jump.MemoryIndex, decoder, default, tables) is { } count
                ? Read(decoder, table, count, pointerSize, relativeTo: null, signed: false, tables)
                : null;
        }
        if (jump.Op0Kind != OpKind.Register || bitness != 64)
        {
            return null;
        }
        // Relative: walk back from the jump through add, the load of the entry, and the lea of the base.
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
        var baseRegister = before[i].Op1Register.GetFullRegister();
        var load = -1;
        for (var j = i - 1; j >= 0; j--)
        {
            var instruction = before[j];
            if (load < 0 && instruction.Mnemonic is Mnemonic.Movsxd or Mnemonic.Mov && instruction.Op0Kind == OpKind.Register
                && instruction.Op0Register.GetFullRegister() == target && instruction.Op1Kind == OpKind.Memory && instruction.MemorySize is MemorySize.Int32 or MemorySize.UInt32
                && instruction.MemoryBase.GetFullRegister() == baseRegister && instruction.MemoryIndex != Register.None && instruction.MemoryIndexScale == 4)
            {
                load = j;
            }
            else if (load >= 0 && instruction.Mnemonic == Mnemonic.Lea && instruction.Op0Register.GetFullRegister() == baseRegister && instruction.IsIPRelativeMemoryOperand)
            {
                var entry = before[load];
                var baseAddress = instruction.IPRelativeMemoryAddress;
                var table = baseAddress + entry.MemoryDisplacement64;
                return Bound(before[..load], entry.MemoryIndex, decoder, (baseRegister, baseAddress), tables) is { } entries
                    ? Read(decoder, table, entries, 4, relativeTo: baseAddress, signed: entry.Mnemonic == Mnemonic.Movsxd, tables)
                    : null;
            }
        }
        return null;
    }

    /// <summary>
    /// The entry count from the last bounds check of <paramref name="index"/> (or of the register it was copied from, or of the
    /// case number a byte table maps to it); null when there is none, or the index is changed in another way after it.
    /// <paramref name="image"/> is the register holding a base address (MSVC x64's image base) and its value, if any. A byte table
    /// of case numbers is looked through only when <paramref name="tables"/> is given (where it is recorded), so never twice.
    /// </summary>
    private static ulong? Bound(ReadOnlySpan<Instruction> before, Register index, CodeDecoder decoder, (Register Register, ulong Address) image,
        List<(ulong, int)>? tables)
    {
        var registers = new List<Register> { index.GetFullRegister() };
        for (var i = before.Length - 1; i >= 1; i--)
        {
            var instruction = before[i];
            if (instruction.Mnemonic is Mnemonic.Ja or Mnemonic.Jae)
            {
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
            if (instruction.Mnemonic is Mnemonic.Cdqe or Mnemonic.Cwde)
            {
                // eax sign-extended in place: still the checked value.
                continue;
            }
            if (instruction.Op0Kind != OpKind.Register || !registers.Contains(instruction.Op0Register.GetFullRegister())
                || instruction.Mnemonic is Mnemonic.Cmp or Mnemonic.Test or Mnemonic.Bt or Mnemonic.Push)
            {
                continue;
            }
            // The index copied from another register (mov eax, edx; movsxd rax, edx; movzx …): that register's check counts.
            if (instruction.Mnemonic is Mnemonic.Mov or Mnemonic.Movsxd or Mnemonic.Movzx && instruction.Op1Kind == OpKind.Register)
            {
                registers.Remove(instruction.Op0Register.GetFullRegister());
                registers.Add(instruction.Op1Register.GetFullRegister());
                continue;
            }
            // The index read from a table of case numbers: as many entries as its largest byte allows, over the cases checked.
            return tables is not null && instruction.Mnemonic == Mnemonic.Movzx && instruction.Op1Kind == OpKind.Memory && instruction.MemorySize == MemorySize.UInt8
                ? CaseNumbers(before[..i], instruction, decoder, image, tables)
                : null;
        }
        return null;
    }

    /// <summary>The largest byte + 1 of the case-number table <paramref name="load"/> reads, over as many cases as are checked.</summary>
    private static ulong? CaseNumbers(ReadOnlySpan<Instruction> before, in Instruction load, CodeDecoder decoder, (Register Register, ulong Address) image,
        List<(ulong, int)> tables)
    {
        var displacement = decoder.Bitness == 64 ? load.MemoryDisplacement64 : load.MemoryDisplacement32;
        var (first, second) = (load.MemoryBase.GetFullRegister(), load.MemoryIndex.GetFullRegister());
        Register caseRegister;
        ulong table;
        if (load.MemoryIndexScale != 1 || load.IsIPRelativeMemoryOperand)
        {
            return null;
        }
        if (second == Register.None || first == Register.None)
        {
            // [case + bytes]
            (caseRegister, table) = (first == Register.None ? second : first, displacement);
        }
        else if (image.Register != Register.None && (first == image.Register || second == image.Register))
        {
            // [image + case + bytes_rva]
            (caseRegister, table) = (first == image.Register ? second : first, image.Address + displacement);
        }
        else
        {
            return null;
        }
        if (Bound(before, caseRegister, decoder, image, tables: null) is not { } cases)
        {
            return null;
        }
        ulong largest = 0;
        for (ulong i = 0; i < cases; i++)
        {
            if (decoder.ReadData(table + i, 1) is not { } value)
            {
                return null;
            }
            largest = Math.Max(largest, value);
        }
        tables.Add((table, (int)cases));
        return largest + 1;
    }

    private static List<ulong>? Read(CodeDecoder decoder, ulong table, ulong count, int entrySize, ulong? relativeTo, bool signed, List<(ulong, int)> tables)
    {
        var targets = new List<ulong>((int)count);
        for (ulong i = 0; i < count; i++)
        {
            if (decoder.ReadData(table + (i * (ulong)entrySize), entrySize) is not { } raw)
            {
                return null;
            }
            var target = relativeTo is { } start ? start + (signed ? (ulong)(long)(int)(uint)raw : (uint)raw) : raw;
            if (!decoder.IsCode(target))
            {
                return null;
            }
            targets.Add(target);
        }
        tables.Add((table, (int)count * entrySize));
        return targets;
    }
}
