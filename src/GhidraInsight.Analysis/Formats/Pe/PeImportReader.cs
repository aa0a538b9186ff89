using System.Reflection.PortableExecutable;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>Reads the import directory: IMAGE_IMPORT_DESCRIPTOR rows until an all-zero row.</summary>
internal static class PeImportReader
{
    /// <summary>Most DLLs read from one directory; more means a corrupt or unterminated table.</summary>
    public const int MaxLibraries = 4096;

    private const int DescriptorSize = 20;

    public static void Read(PeImageContext context, DirectoryEntry directory)
    {
        if (directory.RelativeVirtualAddress == 0 || directory.Size == 0)
        {
            return;
        }
        var image = context.Image;
        for (var i = 0; ; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (i == MaxLibraries)
            {
                image.AddError("limit", $"import directory has more than {MaxLibraries} descriptors; rest ignored");
                return;
            }
            var rva = (ulong)(uint)directory.RelativeVirtualAddress + ((ulong)i * DescriptorSize);
            if (rva > uint.MaxValue || !context.TryRvaRange((uint)rva, DescriptorSize, out var offset))
            {
                image.AddError(i == 0 ? "out_of_bounds" : "truncated", $"import descriptor {i} at RVA 0x{rva:X} is outside the input");
                return;
            }
            var view = context.View;
            view.TryU32(offset, out var originalFirstThunk);
            view.TryU32(offset + 12, out var nameRva);
            view.TryU32(offset + 16, out var firstThunk);
            if (nameRva == 0 && firstThunk == 0)
            {
                return;
            }
            var library = context.ReadString(nameRva);
            if (library is null)
            {
                image.AddError("out_of_bounds", $"import descriptor {i}: DLL name RVA 0x{nameRva:X} is outside the input", offset + 12);
                library = "";
            }
            // Binders may overwrite FirstThunk with addresses, so prefer the untouched name table (OriginalFirstThunk).
            var nameTable = originalFirstThunk != 0 ? originalFirstThunk : firstThunk;
            PeThunkReader.Read(context, library, nameTable, firstThunk, delayed: false, vaBased: false);
        }
    }
}
