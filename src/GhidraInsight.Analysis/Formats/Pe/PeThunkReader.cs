using System.Globalization;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// Walks one import name table (an array of pointer-sized thunks ending with 0) shared by the import and
/// delay-import directories, adding an <see cref="ImportInfo"/> per entry and naming its IAT slot.
/// </summary>
internal static class PeThunkReader
{
    /// <summary>Most functions read from one DLL's table; more means a corrupt or looping table.</summary>
    public const int MaxFunctionsPerLibrary = 65536;

    /// <summary>Most imports read from one image, so descriptors sharing one huge table cannot exhaust memory.</summary>
    public const int MaxImports = 1 << 18;

    /// <param name="context">Image being parsed.</param>
    /// <param name="library">DLL name the entries belong to.</param>
    /// <param name="nameTableRva">RVA of the import name (lookup) table.</param>
    /// <param name="iatRva">RVA of the import address table whose slots the loader fills; 0 when unknown.</param>
    /// <param name="delayed">Whether these are delay-load imports.</param>
    /// <param name="vaBased">Old delay-load format: hint/name entries hold virtual addresses, not RVAs.</param>
    public static void Read(PeImageContext context, string library, uint nameTableRva, uint iatRva, bool delayed, bool vaBased)
    {
        var size = (uint)context.PointerSize;
        var ordinalFlag = context.Is64 ? 1UL << 63 : 1UL << 31;
        for (var i = 0; ; i++)
        {
            if (context.Image.Imports.Count >= MaxImports)
            {
                context.Image.AddError("limit", $"more than {MaxImports} imports; {library} and later tables ignored");
                return;
            }
            if (i == MaxFunctionsPerLibrary)
            {
                context.Image.AddError("limit", $"{library}: import name table has more than {MaxFunctionsPerLibrary} entries; rest ignored");
                return;
            }
            if ((i & 0xFFF) == 0)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
            }
            var entryRva = (ulong)nameTableRva + ((ulong)i * size);
            if (entryRva > uint.MaxValue || !context.TryRvaRange((uint)entryRva, size, out var offset)
                || !context.View.TryWord(offset, context.Is64, out var thunk))
            {
                context.Image.AddError("out_of_bounds", $"{library}: import name table entry {i} at RVA 0x{entryRva:X} is outside the input");
                return;
            }
            if (thunk == 0)
            {
                return;
            }
            var import = (thunk & ordinalFlag) != 0
                ? new ImportInfo { Library = library, Ordinal = (int)(thunk & 0xFFFF), Delayed = delayed }
                : new ImportInfo { Library = library, Name = ReadHintName(context, library, thunk, vaBased, offset), Delayed = delayed };
            context.Image.Imports.Add(import);
            var stubName = import.Name
                ?? (import.Ordinal is { } ordinal ? library + "#" + ordinal.ToString(CultureInfo.InvariantCulture) : null);
            if (iatRva != 0 && stubName is not null)
            {
                context.Image.StubNames.TryAdd(context.Va(iatRva) + ((ulong)i * size), stubName);
            }
        }
    }

    private static string? ReadHintName(PeImageContext context, string library, ulong thunk, bool vaBased, long entryOffset)
    {
        uint rva;
        if (vaBased)
        {
            if (!context.TryVaToRva(thunk, out rva))
            {
                context.Image.AddError("out_of_bounds", $"{library}: hint/name address 0x{thunk:X} is below the image base", entryOffset);
                return null;
            }
        }
        else
        {
            rva = (uint)(thunk & 0x7FFFFFFF);
        }
        // IMAGE_IMPORT_BY_NAME: a 2-byte hint, then the name.
        var name = rva > uint.MaxValue - 2 ? null : context.ReadString(rva + 2);
        if (name is null)
        {
            context.Image.AddError("out_of_bounds", $"{library}: hint/name RVA 0x{rva:X} is outside the input", entryOffset);
        }
        return name;
    }
}
