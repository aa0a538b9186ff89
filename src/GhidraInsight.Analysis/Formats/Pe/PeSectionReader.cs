using System.Globalization;
using System.Reflection.PortableExecutable;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Formats.Pe;

/// <summary>Turns the section table into <see cref="SectionInfo"/>, <see cref="MappedRegion"/> and <see cref="PeSection"/> rows.</summary>
internal static class PeSectionReader
{
    public static List<PeSection> Read(PEHeaders headers, ByteView view, PeStringTable? strings, BinaryImage image)
    {
        var imageBase = headers.PEHeader?.ImageBase ?? 0;
        var sections = new List<PeSection>(headers.SectionHeaders.Length);
        foreach (var header in headers.SectionHeaders)
        {
            var name = ResolveName(header.Name, view, strings);
            var rawOffset = (uint)header.PointerToRawData;
            var rawSize = (uint)header.SizeOfRawData;
            if (rawOffset == 0)
            {
                rawSize = 0;
            }
            var present = rawOffset >= view.Length ? 0 : (uint)Math.Min(rawSize, view.Length - rawOffset);
            if (present < rawSize)
            {
                image.AddError("truncated", $"section {name} has {rawSize} raw bytes but the input holds {present}", rawOffset);
            }
            var section = new PeSection(
                name, (uint)header.VirtualAddress, (uint)header.VirtualSize, rawOffset, present, (uint)header.SectionCharacteristics);
            sections.Add(section);

            image.Sections.Add(new SectionInfo
            {
                Name = name,
                Type = section.Type,
                Address = imageBase + section.VirtualAddress,
                Offset = rawOffset,
                Size = section.VirtualSize != 0 ? section.VirtualSize : (uint)header.SizeOfRawData,
                FileSize = present,
                Permissions = section.Permissions,
            });
            // Raw data past VirtualSize is file-alignment padding that the loader does not map.
            var mapped = section.VirtualSize != 0 ? Math.Min(present, section.VirtualSize) : present;
            if (mapped > 0)
            {
                image.Regions.Add(new MappedRegion(name, imageBase + section.VirtualAddress, rawOffset, mapped, section.Executable));
            }
        }
        return sections;
    }

    /// <summary>Names such as <c>/19</c> are offsets into the COFF string table (mingw keeps them for .debug_* sections).</summary>
    private static string ResolveName(string name, ByteView view, PeStringTable? strings)
    {
        if (strings is not { } table || name.Length < 2 || name[0] != '/'
            || !uint.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return name;
        }
        return table.Read(view, offset) ?? name;
    }
}
