using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>
/// Imports (needed libraries, undefined dynamic symbols with their library when versioning names it)
/// and exports (defined global dynamic symbols).
/// </summary>
internal static class ElfLinkage
{
    public static void Report(ElfContext ctx)
    {
        foreach (var library in ctx.Dynamic.Needed)
        {
            ctx.Image.Imports.Add(new ImportInfo { Library = library });
        }
        var libraries = ElfVersionReader.LibrariesBySymbol(ctx);
        foreach (var sym in ctx.DynamicSymbols)
        {
            if (sym.Name.Length == 0)
            {
                continue;
            }
            if (!sym.IsDefined)
            {
                ctx.Image.Imports.Add(new ImportInfo { Name = sym.Name, Library = libraries.GetValueOrDefault(sym.Index) });
            }
            else if (IsExported(sym))
            {
                ctx.Image.Exports.Add(new ExportInfo { Name = sym.Name, Address = sym.Value });
            }
        }
    }

    private static bool IsExported(ElfSymbol sym) =>
        sym.Value != 0
        && sym.Binding is 1 or 2 or 10
        && sym.Type is 0 or 1 or 2 or 10;
}
