using Iced.Intel;

namespace GhidraInsight.Analysis.Functions;

/// <summary>Alignment padding between functions (and before aligned loop heads): nops of any length, <c>int3</c>, and zero bytes.</summary>
internal static class Padding
{
    public static bool Is(in Instruction instruction) =>
        instruction.Mnemonic is Mnemonic.Nop or Mnemonic.Int3
        || (instruction.Mnemonic == Mnemonic.Add && instruction.Length == 2 && instruction.Op0Kind == OpKind.Memory && instruction.MemoryBase is Register.RAX or Register.EAX
            && instruction.Op1Register == Register.AL)
        || (instruction.Mnemonic == Mnemonic.Xchg && instruction.Op0Register == instruction.Op1Register)
        || (instruction.Mnemonic == Mnemonic.Lea && instruction.MemoryBase == instruction.Op0Register && instruction.MemoryIndex == Register.None
            && instruction.MemoryDisplacement64 == 0);

    /// <summary>Whether the byte can begin padding (<c>nop</c>, its prefixed and long forms, <c>int3</c>, zeros): a cheap test before decoding.</summary>
    public static bool MayStartWith(byte first) => first is 0x90 or 0x66 or 0x0F or 0xCC or 0x00 or 0x8D or 0x87;
}
