namespace GhidraInsight.Analysis.Formats;

/// <summary>A range of virtual addresses backed by file bytes (a section, or a segment when there are no sections).</summary>
/// <param name="Name">Section name, used to label strings and crypto hits.</param>
/// <param name="Address">First virtual address.</param>
/// <param name="Offset">File offset of the first byte (whole input).</param>
/// <param name="FileSize">Bytes present in the file.</param>
/// <param name="Executable">Whether the region holds code.</param>
internal readonly record struct MappedRegion(string Name, ulong Address, long Offset, long FileSize, bool Executable)
{
    public bool ContainsOffset(long offset) => offset >= Offset && offset - Offset < FileSize;

    public bool ContainsAddress(ulong address) => address >= Address && address - Address < (ulong)FileSize;
}
