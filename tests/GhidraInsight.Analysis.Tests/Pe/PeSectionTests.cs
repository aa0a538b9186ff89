namespace GhidraInsight.Analysis.Tests.Pe;

public sealed class PeSectionTests
{
    [Theory]
    [MemberData(nameof(PeSamples.AllData), MemberType = typeof(PeSamples))]
    public void Sections_EqualLlvmReadobjSections(string sample)
    {
        var path = PeSamples.Path(sample);
        var image = PeSamples.Parse(sample);
        var imageBase = ReadobjNode.Number(ReadobjNode.Run(path, "--file-headers").Descendants("ImageOptionalHeader").Single().Field("ImageBase")!);
        var expected = ReadobjNode.Run(path, "--sections").Descendants("Section").Select(s =>
        {
            var flags = s.Child("Characteristics")!;
            var perms = string.Concat(
                flags.HasFlag("IMAGE_SCN_MEM_READ") ? "r" : "-",
                flags.HasFlag("IMAGE_SCN_MEM_WRITE") ? "w" : "-",
                flags.HasFlag("IMAGE_SCN_MEM_EXECUTE") ? "x" : "-");
            var name = s.Field("Name")!;
            return (
                Name: name[..name.LastIndexOf(" (", StringComparison.Ordinal)],
                Address: imageBase + ReadobjNode.Number(s.Field("VirtualAddress")!),
                Size: (long)ReadobjNode.Number(s.Field("VirtualSize")!),
                FileSize: (long)ReadobjNode.Number(s.Field("RawDataSize")!),
                Offset: (long)ReadobjNode.Number(s.Field("PointerToRawData")!),
                Permissions: perms);
        }).ToList();

        Assert.NotEmpty(expected);
        var actual = image.Sections.Select(s => (s.Name, s.Address, s.Size, s.FileSize, s.Offset, s.Permissions)).ToList();
        Assert.Equal(expected, actual);
        Assert.Empty(image.Errors);
    }

    [Theory]
    [MemberData(nameof(PeSamples.NativeData), MemberType = typeof(PeSamples))]
    public void Regions_MarkExactlyTheSectionsObjdumpCallsCode(string sample)
    {
        var path = PeSamples.Path(sample);
        // objdump -h prints each section's flags on the line after its name, e.g. "CONTENTS, ALLOC, LOAD, READONLY, CODE".
        var lines = ExternalToolLines("x86_64-w64-mingw32-objdump", "-h", path);
        var codeSections = new HashSet<string>();
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            var cols = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length >= 7 && int.TryParse(cols[0], out _) && lines[i + 1].Contains("CODE", StringComparison.Ordinal))
            {
                codeSections.Add(cols[1]);
            }
        }

        var image = PeSamples.Parse(sample);
        Assert.NotEmpty(codeSections);
        Assert.Equal(codeSections.Order(), image.Regions.Where(r => r.Executable).Select(r => r.Name).Order());
        Assert.All(image.Regions, r => Assert.Contains(image.Sections, s => s.Name == r.Name && s.Offset == r.Offset));
    }

    private static string[] ExternalToolLines(string tool, params string[] args) =>
        ExternalTool.Run(tool, args).Split('\n');
}
