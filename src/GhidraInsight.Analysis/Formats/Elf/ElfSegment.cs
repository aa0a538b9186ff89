namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>One program header as read from the file.</summary>
internal readonly record struct ElfSegment(uint Type, uint Flags, ulong Offset, ulong Address, ulong FileSize, ulong MemorySize)
{
    public const uint Load = 1;
    public const uint DynamicType = 2;
    public const uint GnuEhFrame = 0x6474e550;
    public const uint GnuStack = 0x6474e551;
    public const uint GnuRelro = 0x6474e552;
    public const uint FlagExecute = 1;
    public const uint FlagWrite = 2;
    public const uint FlagRead = 4;
}
