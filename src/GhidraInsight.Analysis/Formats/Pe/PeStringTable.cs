namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>The COFF string table that follows the symbol table: a 4-byte size (counting itself), then names.</summary>
/// <param name="Offset">File offset of the size field.</param>
/// <param name="End">File offset just past the table, clamped to the input.</param>
/// <param name="Truncated">Whether the table's size field claims more bytes than the input holds.</param>
internal readonly record struct PeStringTable(long Offset, long End, bool Truncated)
{
    private const int SymbolSize = 18;

    /// <summary>Locates the table; null when there is no symbol table or it lies outside the input.</summary>
    public static PeStringTable? Locate(ByteView view, uint pointerToSymbolTable, int numberOfSymbols)
    {
        if (pointerToSymbolTable == 0 || numberOfSymbols < 0)
        {
            return null;
        }
        var offset = pointerToSymbolTable + ((long)numberOfSymbols * SymbolSize);
        if (!view.TryU32(offset, out var size) || size < 4)
        {
            return null;
        }
        return new PeStringTable(offset, Math.Min(view.Length, offset + size), offset + size > view.Length);
    }

    /// <summary>The string at <paramref name="offset"/> from the start of the table (offsets below 4 are invalid).</summary>
    public string? Read(ByteView view, uint offset) =>
        offset < 4 ? null : view.CString(Offset + offset, End, PeImageContext.MaxNameLength);
}
