using System.Reflection.PortableExecutable;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>Reads the import directory: IMAGE_IMPORT_DESCRIPTOR rows until an all-zero row.</summary>
internal static class PeImportReader
{
    private const int DescriptorSize = 20;

    public static void Read(PeImageContext context, DirectoryEntry directory)
    {
        var image = context.Image;
        foreach (var (i, offset) in PeDescriptorTable.Rows(context, directory, DescriptorSize, "import"))
        {
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
