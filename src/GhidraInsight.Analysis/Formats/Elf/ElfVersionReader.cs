namespace GhidraInsight.Analysis.Formats.Elf;

/// <summary>
/// Maps undefined dynamic symbols to the library that provides them, through symbol versioning:
/// .gnu.version gives each symbol a version index, and .gnu.version_r names the file each needed version comes from.
/// </summary>
internal static class ElfVersionReader
{
    private const uint VersionSymbols = 0x6fffffff;
    private const uint VersionNeeded = 0x6ffffffe;
    private const int MaxRecords = 65536;

    /// <summary>Library file by dynamic symbol index; empty when the file has no version information.</summary>
    public static Dictionary<int, string> LibrariesBySymbol(ElfContext ctx)
    {
        var result = new Dictionary<int, string>();
        var versym = ctx.Sections.FirstOrDefault(s => s.Type == VersionSymbols && s.Index > 0);
        var verneed = ctx.Sections.FirstOrDefault(s => s.Type == VersionNeeded && s.Index > 0);
        if (versym.Index == 0 || verneed.Index == 0)
        {
            return result;
        }
        var files = FilesByVersionIndex(ctx, verneed);
        if (files.Count == 0 || !ctx.TryFileRange(versym.Offset, versym.Size, ".gnu.version", out var start, out var length))
        {
            return result;
        }
        foreach (var sym in ctx.DynamicSymbols)
        {
            if (!sym.IsDefined && ctx.View.TryU16(start + (2L * sym.Index), out var version) && 2L * sym.Index < length
                && files.TryGetValue((ushort)(version & 0x7fff), out var file))
            {
                result[sym.Index] = file;
            }
        }
        return result;
    }

    private static Dictionary<ushort, string> FilesByVersionIndex(ElfContext ctx, ElfSection verneed)
    {
        var files = new Dictionary<ushort, string>();
        if (!ctx.TryFileRange(verneed.Offset, verneed.Size, ".gnu.version_r", out var start, out var length)
            || ctx.SectionAt(verneed.Link) is not { } strings
            || !ctx.TryFileRange(strings.Offset, strings.Size, "version string table", out var strStart, out var strLength))
        {
            return files;
        }
        var end = start + length;
        var v = ctx.View;
        var at = start;
        for (var records = 0; records < MaxRecords && at >= start && at + 16 <= end; records++)
        {
            v.TryU16(at + 2, out var auxCount);
            v.TryU32(at + 4, out var fileName);
            v.TryU32(at + 8, out var auxOffset);
            v.TryU32(at + 12, out var next);
            var file = fileName < strLength ? v.CString(strStart + fileName, strStart + strLength) : null;
            var aux = at + auxOffset;
            for (var i = 0; i < auxCount && records < MaxRecords && aux >= start && aux + 16 <= end; i++, records++)
            {
                v.TryU16(aux + 6, out var versionIndex);
                v.TryU32(aux + 12, out var auxNext);
                if (file is not null)
                {
                    files[(ushort)(versionIndex & 0x7fff)] = file;
                }
                if (auxNext == 0)
                {
                    break;
                }
                aux += auxNext;
            }
            if (next == 0)
            {
                break;
            }
            at += next;
        }
        return files;
    }
}
