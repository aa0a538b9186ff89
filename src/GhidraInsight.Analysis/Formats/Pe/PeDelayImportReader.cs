using System.Reflection.PortableExecutable;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// Reads the delay-load import directory: IMAGE_DELAYLOAD_DESCRIPTOR rows (32 bytes) until an all-zero row.
/// Attributes bit 0 set means the fields are RVAs; clear is the old Visual C++ 6 format holding virtual addresses.
/// </summary>
internal static class PeDelayImportReader
{
    private const int DescriptorSize = 32;

    public static void Read(PeImageContext context, DirectoryEntry directory)
    {
        var image = context.Image;
        foreach (var (i, offset) in PeDescriptorTable.Rows(context, directory, DescriptorSize, "delay-import"))
        {
            var view = context.View;
            view.TryU32(offset, out var attributes);
            view.TryU32(offset + 4, out var nameField);
            view.TryU32(offset + 12, out var iatField);
            view.TryU32(offset + 16, out var nameTableField);
            if (nameField == 0 && iatField == 0 && nameTableField == 0)
            {
                return;
            }
            var vaBased = (attributes & 1) == 0;
            if (!ToRva(context, nameField, vaBased, out var nameRva)
                || !ToRva(context, iatField, vaBased, out var iatRva)
                || !ToRva(context, nameTableField, vaBased, out var nameTableRva))
            {
                image.AddError("out_of_bounds", $"delay-import descriptor {i} holds addresses below the image base", offset);
                continue;
            }
            var library = context.ReadString(nameRva);
            if (library is null)
            {
                image.AddError("out_of_bounds", $"delay-import descriptor {i}: DLL name RVA 0x{nameRva:X} is outside the input", offset + 4);
                library = "";
            }
            PeThunkReader.Read(context, library, nameTableRva, iatRva, delayed: true, vaBased);
        }
    }

    private static bool ToRva(PeImageContext context, uint field, bool vaBased, out uint rva)
    {
        if (!vaBased || field == 0)
        {
            rva = field;
            return true;
        }
        return context.TryVaToRva(field, out rva);
    }
}
