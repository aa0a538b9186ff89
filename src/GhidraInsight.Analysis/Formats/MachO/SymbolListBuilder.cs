using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.MachO;

/// <summary>Turns the nlist entries into symbols, imports, exports and function seeds.</summary>
internal static class SymbolListBuilder
{
    public static void Build(MachOParseState state, MachOSymbolTable table)
    {
        var image = state.Image;
        var twoLevel = (state.Header.Flags & MachOConstants.MhTwoLevel) != 0;
        for (uint i = 0; i < table.Count; i++)
        {
            if ((i & 0xfff) == 0)
            {
                state.CancellationToken.ThrowIfCancellationRequested();
            }
            if (!table.TryGet(i, out var symbol) || symbol.IsDebug)
            {
                continue;
            }
            var name = table.Name(symbol);
            var kind = symbol.Kind;
            var section = kind == MachOConstants.NSect ? state.SectionAt(symbol.Section) : null;
            if (kind == MachOConstants.NUndf)
            {
                AddUndefined(state, symbol, name, twoLevel);
                continue;
            }
            var isFunction = section is { Executable: true } && section.Contains(symbol.Value);
            image.Symbols.Add(new SymbolInfo
            {
                Name = name,
                Address = symbol.Value,
                Type = isFunction ? "func" : kind == MachOConstants.NSect ? "object" : "notype",
                Binding = Binding(symbol),
                Section = section?.Name ?? (kind == MachOConstants.NAbs ? "ABS" : null),
                Source = "macho_symtab",
            });
            if (isFunction)
            {
                image.FunctionSeeds.Add(new FunctionSeed(symbol.Value, name, "symbol"));
            }
            if (symbol.IsExternal && kind == MachOConstants.NSect)
            {
                image.Exports.Add(new ExportInfo { Name = name, Address = symbol.Value });
            }
        }
    }

    private static void AddUndefined(MachOParseState state, MachOSymbol symbol, string name, bool twoLevel)
    {
        // An undefined external with a value is a common symbol (object files): storage of that size.
        var common = symbol.IsExternal && symbol.Value != 0;
        state.Image.Symbols.Add(new SymbolInfo
        {
            Name = name,
            Address = 0,
            Size = common && symbol.Value <= long.MaxValue ? (long)symbol.Value : 0,
            Type = common ? "object" : "notype",
            Binding = Binding(symbol),
            Section = common ? "COM" : "UND",
            Source = "macho_symtab",
        });
        if (!symbol.IsExternal || common)
        {
            return;
        }
        var ordinal = symbol.LibraryOrdinal;
        var library = twoLevel && ordinal >= 1 && ordinal <= state.Dylibs.Count ? state.Dylibs[ordinal - 1] : null;
        state.Image.Imports.Add(new ImportInfo { Name = name, Library = library });
    }

    private static string Binding(MachOSymbol symbol)
    {
        if (!symbol.IsExternal)
        {
            return "local";
        }
        var weakFlag = symbol.Kind == MachOConstants.NUndf ? MachOConstants.NWeakRef : MachOConstants.NWeakDef;
        return (symbol.Description & weakFlag) != 0 ? "weak" : "global";
    }
}
