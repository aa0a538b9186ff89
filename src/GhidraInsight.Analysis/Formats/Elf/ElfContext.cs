namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>State shared by the readers while one ELF image is parsed.</summary>
internal sealed class ElfContext(ByteView view, ElfHeader header, BinaryImage image, CancellationToken cancellationToken)
{
    /// <summary>Upper bound for entries read from any one table, whatever the headers claim.</summary>
    public const int MaxEntries = 1_000_000;

    /// <summary>How often long loops look at the cancellation token.</summary>
    public const int CancellationStride = 4096;

    public ByteView View { get; } = view;
    public ElfHeader Header { get; } = header;
    public BinaryImage Image { get; } = image;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Section headers by index, including the null section 0 when present.</summary>
    public List<ElfSection> Sections { get; } = [];
    public List<ElfSegment> Segments { get; } = [];
    public List<ElfSymbol> StaticSymbols { get; } = [];
    public List<ElfSymbol> DynamicSymbols { get; } = [];
    public ElfDynamicInfo Dynamic { get; set; } = new();

    public ElfSection? FindSection(string name)
    {
        foreach (var s in Sections)
        {
            if (s.Name == name)
            {
                return s;
            }
        }
        return null;
    }

    public ElfSection? SectionAt(long index) =>
        index > 0 && index < Sections.Count ? Sections[(int)index] : null;

    /// <summary>File offset of a virtual address via PT_LOAD segments, else allocated sections; null when unmapped.</summary>
    public long? OffsetOfAddress(ulong address)
    {
        foreach (var seg in Segments)
        {
            if (seg.Type == ElfSegment.Load && address >= seg.Address && address - seg.Address < seg.FileSize)
            {
                return ToOffset(seg.Offset + (address - seg.Address));
            }
        }
        foreach (var s in Sections)
        {
            if (s.IsAlloc && s.HasFileBytes && address >= s.Address && address - s.Address < s.Size)
            {
                return ToOffset(s.Offset + (address - s.Address));
            }
        }
        return null;
    }

    /// <summary>Clamps an untrusted file range to the input: returns false (and reports) when it starts outside.</summary>
    public bool TryFileRange(ulong offset, ulong size, string what, out long start, out long length)
    {
        start = 0;
        length = 0;
        if (offset > (ulong)View.Length)
        {
            Image.AddError("out_of_bounds", $"{what} starts at 0x{offset:x}, past the end of the file (0x{View.Length:x})", null);
            return false;
        }
        start = (long)offset;
        var available = (ulong)(View.Length - start);
        if (size > available)
        {
            Image.AddError("truncated", $"{what} claims 0x{size:x} bytes but only 0x{available:x} remain in the file", start);
            size = available;
        }
        length = (long)size;
        return true;
    }

    public void ThrowIfCancelled(long iteration)
    {
        if (iteration % CancellationStride == 0)
        {
            CancellationToken.ThrowIfCancellationRequested();
        }
    }

    private long? ToOffset(ulong offset) => offset < (ulong)View.Length ? (long)offset : null;
}
