using System.Globalization;
using System.Reflection.PortableExecutable;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>
/// Reads IMAGE_EXPORT_DIRECTORY: the address table gives one entry per ordinal (Base + index); the name pointer
/// and ordinal tables name some of them. An address inside the directory itself is a forwarder string.
/// </summary>
internal static class PeExportReader
{
    /// <summary>Ordinals are 16-bit, so a valid table has at most this many entries.</summary>
    public const int MaxFunctions = 65536;

    private const int DirectorySize = 40;

    public static void Read(PeImageContext context, DirectoryEntry directory)
    {
        if (directory.RelativeVirtualAddress == 0 || directory.Size == 0)
        {
            return;
        }
        var image = context.Image;
        var view = context.View;
        var dirRva = (uint)directory.RelativeVirtualAddress;
        if (!context.TryRvaRange(dirRva, DirectorySize, out var dirOffset))
        {
            image.AddError("out_of_bounds", $"export directory at RVA 0x{dirRva:X} is outside the input");
            return;
        }
        view.TryU32(dirOffset + 16, out var ordinalBase);
        view.TryU32(dirOffset + 20, out var functionCount);
        view.TryU32(dirOffset + 24, out var nameCount);
        view.TryU32(dirOffset + 28, out var functionsRva);
        view.TryU32(dirOffset + 32, out var namesRva);
        view.TryU32(dirOffset + 36, out var ordinalsRva);

        var functions = Clamp(context, "address", functionsRva, functionCount, 4, dirOffset + 20);
        var names = ReadNames(context, namesRva, ordinalsRva, Clamp(context, "name pointer", namesRva, nameCount, 4, dirOffset + 24), functions);
        if (!context.TryRvaRange(functionsRva, (long)functions * 4, out var functionsOffset))
        {
            return;
        }
        var dirEnd = (ulong)dirRva + (uint)directory.Size;
        for (var i = 0; i < functions; i++)
        {
            if ((i & 0xFFF) == 0)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
            }
            view.TryU32(functionsOffset + (i * 4L), out var rva);
            if (rva == 0)
            {
                continue; // unused ordinal
            }
            var ordinal = (int)((ordinalBase + (uint)i) & 0xFFFF);
            var name = names[i];
            var forwarder = rva >= dirRva && rva < dirEnd ? context.ReadString(rva) ?? "" : null;
            var address = context.Va(rva);
            image.Exports.Add(new ExportInfo
            {
                Name = name ?? "#" + ordinal.ToString(CultureInfo.InvariantCulture),
                Address = address,
                Ordinal = ordinal,
                Forwarder = forwarder,
            });
            if (forwarder is not null)
            {
                continue;
            }
            var section = context.SectionOf(rva);
            var executable = section is { Executable: true };
            if (executable)
            {
                image.FunctionSeeds.Add(new FunctionSeed(address, name, "export"));
            }
            if (name is not null)
            {
                image.Symbols.Add(new SymbolInfo
                {
                    Name = name,
                    Address = address,
                    Type = executable ? "func" : "object",
                    Binding = "global",
                    Section = section?.Name,
                    Source = "export",
                });
            }
        }
    }

    /// <summary>How many <paramref name="entrySize"/>-byte entries of a table are really present (at most <see cref="MaxFunctions"/>).</summary>
    private static int Clamp(PeImageContext context, string table, uint rva, uint count, int entrySize, long fieldOffset)
    {
        if (count == 0)
        {
            return 0;
        }
        var wanted = (int)Math.Min(count, MaxFunctions);
        if (wanted < count)
        {
            context.Image.AddError("limit", $"export {table} table claims {count} entries; reading {wanted}", fieldOffset);
        }
        if (!context.TryRvaToOffset(rva, out var offset, out var limit))
        {
            context.Image.AddError("out_of_bounds", $"export {table} table at RVA 0x{rva:X} is outside the input", fieldOffset);
            return 0;
        }
        var present = (int)Math.Min(wanted, (limit - offset) / entrySize);
        if (present < wanted)
        {
            context.Image.AddError("truncated", $"export {table} table holds {present} of {wanted} entries", offset);
        }
        return present;
    }

    /// <summary>Name of each address-table index (null when unnamed); the array is bounded by the clamped table size.</summary>
    private static string?[] ReadNames(PeImageContext context, uint namesRva, uint ordinalsRva, int nameCount, int functions)
    {
        var names = new string?[functions];
        if (nameCount == 0 || !context.TryRvaRange(namesRva, nameCount * 4L, out var namesOffset))
        {
            return names;
        }
        if (!context.TryRvaRange(ordinalsRva, nameCount * 2L, out var ordinalsOffset))
        {
            context.Image.AddError("out_of_bounds", $"export ordinal table at RVA 0x{ordinalsRva:X} is outside the input");
            return names;
        }
        for (var i = 0; i < nameCount; i++)
        {
            context.View.TryU32(namesOffset + (i * 4L), out var nameRva);
            context.View.TryU16(ordinalsOffset + (i * 2L), out var index);
            if (index >= functions)
            {
                context.Image.AddError("out_of_bounds", $"export name {i} refers to address-table index {index} of {functions}", ordinalsOffset + (i * 2L));
                continue;
            }
            names[index] ??= context.ReadString(nameRva);
        }
        return names;
    }
}
