using System.Text;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// Reads the COFF symbol table that mingw keeps in images (PointerToSymbolTable): 18-byte records, names inline
/// or in the string table, values relative to their section. Keeps external symbols and static functions.
/// </summary>
internal static class PeCoffSymbols
{
    private const int SymbolSize = 18;
    private const byte ClassExternal = 2;
    private const byte ClassStatic = 3;
    private const ushort FunctionType = 0x20; // IMAGE_SYM_DTYPE_FUNCTION << 4

    public static void Read(PeImageContext context, uint pointer, int count, PeStringTable? strings)
    {
        if (pointer == 0 || count <= 0)
        {
            return;
        }
        var view = context.View;
        var present = view.Length <= pointer ? 0 : Math.Min(count, (view.Length - pointer) / SymbolSize);
        if (present < count)
        {
            context.Image.AddError("truncated", $"COFF symbol table holds {present} of {count} symbols", pointer);
        }
        for (long i = 0; i < present; i++)
        {
            if ((i & 0xFFF) == 0)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
            }
            var offset = pointer + (i * SymbolSize);
            view.TryU32(offset + 8, out var value);
            view.TryU16(offset + 12, out var sectionField);
            view.TryU16(offset + 14, out var type);
            view.TryU8(offset + 16, out var storageClass);
            view.TryU8(offset + 17, out var auxCount);
            i += auxCount; // auxiliary records follow and are not symbols
            var sectionNumber = (short)sectionField;
            var isFunction = (type & 0x30) == FunctionType;
            if (sectionNumber <= 0 || sectionNumber > context.Sections.Count
                || !(storageClass == ClassExternal || (storageClass == ClassStatic && isFunction)))
            {
                continue;
            }
            var name = ReadName(view, offset, strings);
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }
            var section = context.Sections[sectionNumber - 1];
            var address = context.Va(section.VirtualAddress) + value;
            context.Image.Symbols.Add(new SymbolInfo
            {
                Name = name,
                Address = address,
                Type = isFunction ? "func" : section.Executable ? "notype" : "object",
                Binding = storageClass == ClassExternal ? "global" : "local",
                Section = section.Name,
                Source = "coff",
            });
            if (isFunction && section.Executable)
            {
                context.Image.FunctionSeeds.Add(new FunctionSeed(address, name, "symbol"));
            }
        }
    }

    /// <summary>Short names sit in the first 8 bytes; a zero first word means the next word is a string-table offset.</summary>
    private static string? ReadName(ByteView view, long offset, PeStringTable? strings)
    {
        view.TryU32(offset, out var zeroes);
        if (zeroes == 0)
        {
            view.TryU32(offset + 4, out var stringOffset);
            return strings?.Read(view, stringOffset);
        }
        if (!view.TrySlice(offset, 8, out var raw))
        {
            return null;
        }
        var end = raw.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? raw[..end] : raw);
    }
}
