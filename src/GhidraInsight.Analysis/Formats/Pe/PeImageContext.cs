namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// What the directory readers share: the input, the section table and the image being filled.
/// Translates RVAs to file offsets; every translation is checked against the section's bytes in the input.
/// </summary>
internal sealed class PeImageContext(
    BinaryImage image,
    ByteView view,
    ulong imageBase,
    bool is64,
    uint sizeOfHeaders,
    IReadOnlyList<PeSection> sections,
    CancellationToken cancellationToken)
{
    /// <summary>Longest name read from a table (DLL, function, forwarder).</summary>
    public const int MaxNameLength = 4096;

    public BinaryImage Image { get; } = image;
    public ByteView View { get; } = view;
    public ulong ImageBase { get; } = imageBase;
    public bool Is64 { get; } = is64;
    public int PointerSize => Is64 ? 8 : 4;
    public IReadOnlyList<PeSection> Sections { get; } = sections;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    // Table walks hit the same section again and again; remembering it keeps lookups O(1) even for
    // images with thousands of sections.
    private int _lastSection;

    public PeSection? SectionOf(uint rva)
    {
        if (_lastSection < Sections.Count && Sections[_lastSection].ContainsRva(rva))
        {
            return Sections[_lastSection];
        }
        for (var i = 0; i < Sections.Count; i++)
        {
            if (Sections[i].ContainsRva(rva))
            {
                _lastSection = i;
                return Sections[i];
            }
        }
        return null;
    }

    public bool IsExecutableRva(uint rva) => SectionOf(rva) is { Executable: true };

    /// <summary>
    /// File offset of <paramref name="rva"/> and the end (exclusive) of the file bytes that follow it contiguously,
    /// i.e. the end of the section's raw data or of the headers. False when the RVA has no bytes in the input.
    /// </summary>
    public bool TryRvaToOffset(uint rva, out long offset, out long limit)
    {
        if (SectionOf(rva) is { } section)
        {
            var delta = rva - section.VirtualAddress;
            if (delta < section.RawSize)
            {
                offset = (long)section.RawOffset + delta;
                limit = (long)section.RawOffset + section.RawSize;
                return true;
            }
        }
        // The headers are mapped at RVA 0 and some linkers place small tables there.
        if (rva < sizeOfHeaders && rva < View.Length)
        {
            offset = rva;
            limit = Math.Min(sizeOfHeaders, View.Length);
            return true;
        }
        offset = 0;
        limit = 0;
        return false;
    }

    /// <summary>File offset of <paramref name="count"/> bytes at <paramref name="rva"/>, all within one section's file bytes.</summary>
    public bool TryRvaRange(uint rva, long count, out long offset)
    {
        if (TryRvaToOffset(rva, out offset, out var limit) && count >= 0 && count <= limit - offset && View.Has(offset, count))
        {
            return true;
        }
        offset = 0;
        return false;
    }

    /// <summary>Reads the NUL-terminated string at <paramref name="rva"/>, or null when it is not in the input.</summary>
    public string? ReadString(uint rva) =>
        TryRvaToOffset(rva, out var offset, out var limit) ? View.CString(offset, limit, MaxNameLength) : null;

    public ulong Va(uint rva) => ImageBase + rva;

    /// <summary>Converts a virtual address written in a table (old delay-load format) to an RVA.</summary>
    public bool TryVaToRva(ulong va, out uint rva)
    {
        rva = 0;
        if (va < ImageBase || va - ImageBase > uint.MaxValue)
        {
            return false;
        }
        rva = (uint)(va - ImageBase);
        return true;
    }
}
