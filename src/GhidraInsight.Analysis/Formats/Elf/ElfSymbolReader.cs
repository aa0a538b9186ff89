using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>Reads .symtab and .dynsym entries with their names, and reports them as symbols.</summary>
internal static class ElfSymbolReader
{
    private const int SectionSymbolType = 3;

    /// <summary>Long enough for mangled C++ and Rust names, short enough to bound the work per symbol.</summary>
    private const int MaxNameLength = 16384;

    public static void Read(ElfContext ctx)
    {
        // An ELF file holds at most one table of each kind; symbol indexes (relocations, versions) refer to that one.
        bool staticSeen = false, dynamicSeen = false;
        foreach (var s in ctx.Sections)
        {
            if (s.Type is not (ElfSection.SymbolTable or ElfSection.DynamicSymbols))
            {
                continue;
            }
            ref var seen = ref s.Type == ElfSection.SymbolTable ? ref staticSeen : ref dynamicSeen;
            if (seen)
            {
                ctx.Image.AddError("bad_value", $"second symbol table {s.Name} (section {s.Index}) ignored", null);
                continue;
            }
            seen = true;
            if (s.Type == ElfSection.SymbolTable)
            {
                ReadTable(ctx, s, ctx.StaticSymbols, "symtab");
            }
            else
            {
                ReadTable(ctx, s, ctx.DynamicSymbols, "dynsym");
            }
        }
    }

    private static void ReadTable(ElfContext ctx, ElfSection table, List<ElfSymbol> into, string source)
    {
        var entrySize = ctx.Header.Is64 ? 24 : 16;
        if (table.EntrySize != 0 && table.EntrySize != (ulong)entrySize)
        {
            ctx.Image.AddError("bad_value", $"{table.Name} entry size {table.EntrySize} is not {entrySize}", (long)Math.Min(table.Offset, long.MaxValue));
        }
        if (!ctx.TryFileRange(table.Offset, table.Size, $"symbol table {table.Name}", out var start, out var length))
        {
            return;
        }
        var strings = ctx.SectionAt(table.Link);
        long strStart = 0, strLength = 0;
        if (strings is not { } st || st.Type == ElfSection.NoBits)
        {
            ctx.Image.AddError("bad_value", $"{table.Name} links to section {table.Link}, which is not a string table", start);
        }
        else
        {
            ctx.TryFileRange(st.Offset, st.Size, $"string table {st.Name}", out strStart, out strLength);
        }
        var count = length / entrySize;
        if (count > ElfContext.MaxEntries)
        {
            ctx.Image.AddError("limit", $"{table.Name} holds {count} symbols; only the first {ElfContext.MaxEntries} are read", start);
            count = ElfContext.MaxEntries;
        }
        var badNames = 0;
        for (var i = 1; i < count; i++)
        {
            ctx.ThrowIfCancelled(i);
            var sym = ReadOne(ctx, start + (i * entrySize), i);
            string? name = "";
            if (sym.NameOffset != 0)
            {
                name = sym.NameOffset < strLength ? ctx.View.CString(strStart + sym.NameOffset, strStart + strLength, MaxNameLength) : null;
                if (name is null)
                {
                    badNames++;
                    name = "";
                }
            }
            if (name.Length == 0 && sym.Symbol.Type == SectionSymbolType)
            {
                name = ctx.SectionAt(sym.Symbol.SectionIndex)?.Name ?? "";
            }
            var symbol = sym.Symbol with { Name = StripVersion(name) };
            into.Add(symbol);
            ctx.Image.Symbols.Add(new SymbolInfo
            {
                Name = symbol.Name,
                Address = symbol.Value,
                Size = (long)Math.Min(symbol.Size, long.MaxValue),
                Type = ElfNames.SymbolType(symbol.Info),
                Binding = ElfNames.SymbolBinding(symbol.Info),
                Section = SectionLabel(ctx, symbol.SectionIndex),
                Source = source,
            });
        }
        if (badNames > 0)
        {
            ctx.Image.AddError("out_of_bounds", $"{badNames} names in {table.Name} point outside its string table", start);
        }
    }

    private static (ElfSymbol Symbol, long NameOffset) ReadOne(ElfContext ctx, long at, int index)
    {
        var v = ctx.View;
        v.TryU32(at, out var nameOffset);
        if (ctx.Header.Is64)
        {
            v.TryU8(at + 4, out var info);
            v.TryU16(at + 6, out var shndx);
            v.TryU64(at + 8, out var value);
            v.TryU64(at + 16, out var size);
            return (new ElfSymbol(index, "", value, size, info, shndx), nameOffset);
        }
        v.TryU32(at + 4, out var value32);
        v.TryU32(at + 8, out var size32);
        v.TryU8(at + 12, out var info32);
        v.TryU16(at + 14, out var shndx32);
        return (new ElfSymbol(index, "", value32, size32, info32, shndx32), nameOffset);
    }

    private static string SectionLabel(ElfContext ctx, ushort index) => index switch
    {
        ElfSymbol.Undefined => "UND",
        ElfSymbol.Absolute => "ABS",
        ElfSymbol.Common => "COM",
        _ => ctx.SectionAt(index)?.Name ?? $"[{index}]",
    };

    /// <summary>The linker writes versioned names such as <c>puts@GLIBC_2.2.5</c> into .symtab; the model wants <c>puts</c>.</summary>
    private static string StripVersion(string name)
    {
        var at = name.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? name[..at] : name;
    }
}
