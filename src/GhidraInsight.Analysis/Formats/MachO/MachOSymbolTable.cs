namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>
/// The LC_SYMTAB tables of an image, already clamped to the image bytes: random access to entries and names.
/// </summary>
internal sealed class MachOSymbolTable(ByteView view, long symbolsOffset, uint count, bool is64, long stringsOffset, long stringsSize)
{
    public uint Count { get; } = count;
    public int EntrySize { get; } = is64 ? 16 : 12;

    public bool TryGet(uint index, out MachOSymbol symbol)
    {
        symbol = default;
        if (index >= Count)
        {
            return false;
        }
        var at = symbolsOffset + ((long)index * EntrySize);
        if (!view.TryU32(at, out var nameOffset) || !view.TryU8(at + 4, out var type) ||
            !view.TryU8(at + 5, out var section) || !view.TryU16(at + 6, out var description) ||
            !view.TryWord(at + 8, is64, out var value))
        {
            return false;
        }
        symbol = new MachOSymbol(nameOffset, type, section, description, value);
        return true;
    }

    /// <summary>The symbol's name, empty when n_strx is outside the string table.</summary>
    public string Name(MachOSymbol symbol) =>
        symbol.NameOffset < stringsSize
            ? view.CString(stringsOffset + symbol.NameOffset, stringsOffset + stringsSize) ?? ""
            : "";

    public string? NameAt(uint index) => TryGet(index, out var symbol) ? Name(symbol) : null;

    /// <summary>Reads an LC_SYMTAB command; clamps counts and sizes that run past the image and reports them.</summary>
    public static MachOSymbolTable? Read(MachOParseState state, LoadCommand command)
    {
        var body = command.Body;
        if (!body.Has(0, 24))
        {
            state.Error("truncated", $"LC_SYMTAB of {command.Size} bytes is shorter than 24", command.Offset);
            return null;
        }
        body.TryU32(8, out var symbolsOffset);
        body.TryU32(12, out var count);
        body.TryU32(16, out var stringsOffset);
        body.TryU32(20, out var stringsSize);
        var entrySize = state.Header.Is64 ? 16u : 12u;
        var length = state.View.Length;
        if (symbolsOffset > length)
        {
            state.Error("out_of_bounds", $"symbol table offset 0x{symbolsOffset:x} is past the end of the image", command.Offset);
            count = 0;
        }
        else if (count > (length - symbolsOffset) / entrySize)
        {
            var fits = (uint)((length - symbolsOffset) / entrySize);
            state.Error("truncated", $"symbol table declares {count} entries but only {fits} fit in the image", command.Offset);
            count = fits;
        }
        if (stringsOffset > length)
        {
            state.Error("out_of_bounds", $"string table offset 0x{stringsOffset:x} is past the end of the image", command.Offset);
            stringsSize = 0;
        }
        else if (stringsSize > length - stringsOffset)
        {
            state.Error("truncated", $"string table of 0x{stringsSize:x} bytes runs past the end of the image", command.Offset);
            stringsSize = (uint)(length - stringsOffset);
        }
        return new MachOSymbolTable(state.View, symbolsOffset, count, state.Header.Is64, stringsOffset, stringsSize);
    }
}
