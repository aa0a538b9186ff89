namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>What the symbol, stub and entry readers need to know about a section (n_sect order, 1-based).</summary>
internal sealed record MachOSection(
    string Name,
    string Segment,
    ulong Address,
    ulong Size,
    uint Flags,
    uint Reserved1,
    uint Reserved2)
{
    /// <summary>Whether the section holds code; set once its segment has been read.</summary>
    public bool Executable { get; set; }

    public bool Contains(ulong address) => address >= Address && address - Address < Size;
}
