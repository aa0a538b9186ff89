namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>
/// Shared state while one thin image is parsed. Reads use offsets relative to the image;
/// everything reported goes through <see cref="Absolute(ulong)"/> so that slice offsets are added.
/// </summary>
internal sealed class MachOParseState(
    BinaryImage image,
    ByteView view,
    long baseOffset,
    MachOHeader header,
    CancellationToken cancellationToken)
{
    public BinaryImage Image { get; } = image;
    public ByteView View { get; } = view;
    public long BaseOffset { get; } = baseOffset;
    public MachOHeader Header { get; } = header;
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Sections in n_sect order (index 0 is n_sect 1).</summary>
    public List<MachOSection> Sections { get; } = [];

    /// <summary>Install names of the dylib load commands, in library-ordinal order (index 0 is ordinal 1).</summary>
    public List<string> Dylibs { get; } = [];

    /// <summary>vmaddr of <c>__TEXT</c>, the base of LC_MAIN and LC_FUNCTION_STARTS.</summary>
    public ulong? TextAddress { get; set; }

    public MachOSymbolTable? SymbolTable { get; set; }

    /// <summary>Section for a 1-based n_sect value, or null when out of range.</summary>
    public MachOSection? SectionAt(int sectionNumber) =>
        sectionNumber >= 1 && sectionNumber <= Sections.Count ? Sections[sectionNumber - 1] : null;

    /// <summary>Image-relative offset → offset in the whole input (saturating).</summary>
    public long Absolute(ulong offset) =>
        offset > (ulong)(long.MaxValue - BaseOffset) ? long.MaxValue : BaseOffset + (long)offset;

    public void Error(string code, string message, long relativeOffset) =>
        Image.AddError(code, message, BaseOffset + relativeOffset);

    /// <summary>Whether [offset, offset+count) lies inside the image.</summary>
    public bool InImage(ulong offset, ulong count) =>
        offset <= (ulong)View.Length && count <= (ulong)View.Length - offset;
}
