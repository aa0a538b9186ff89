namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>One symbol table entry with its name resolved (version suffix removed).</summary>
internal readonly record struct ElfSymbol(int Index, string Name, ulong Value, ulong Size, byte Info, ushort SectionIndex)
{
    public const ushort Undefined = 0;
    public const ushort Absolute = 0xfff1;
    public const ushort Common = 0xfff2;

    public int Type => Info & 0xf;
    public int Binding => Info >> 4;
    public bool IsFunction => Type is 2 or 10;
    public bool IsDefined => SectionIndex != Undefined;
}
