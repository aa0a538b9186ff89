using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Elf;

/// <summary>Header, section and segment tables compared with GNU readelf.</summary>
public sealed class ElfTableTests
{
    [Theory]
    [MemberData(nameof(ElfSamples.AllData), MemberType = typeof(ElfSamples))]
    public void Sections_MatchReadelf(string sample)
    {
        var image = ElfSamples.Parse(sample);
        var expected = ReadelfOutput.Sections(ElfSamples.PathOf(sample))
            .Select(s => (s.Name, s.Type, s.Address, s.Offset, s.Size, s.Permissions)).ToList();

        var actual = image.Sections.Select(s => (s.Name, Type: s.Type ?? "", s.Address, s.Offset, s.Size, s.Permissions)).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Empty(image.Errors);
    }

    [Theory]
    [MemberData(nameof(ElfSamples.LinkedData), MemberType = typeof(ElfSamples))]
    public void Segments_MatchReadelf(string sample)
    {
        var image = ElfSamples.Parse(sample);
        var expected = ReadelfOutput.Segments(ElfSamples.PathOf(sample))
            .Select(s => (s.Type, s.Offset, s.Address, s.FileSize, s.MemorySize, s.Permissions)).ToList();

        var actual = image.Segments.Select(s => (s.Type, s.Offset, s.Address, s.FileSize, s.MemorySize, s.Permissions)).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(ElfSamples.AllData), MemberType = typeof(ElfSamples))]
    public void Header_MatchesReadelf(string sample)
    {
        var path = ElfSamples.PathOf(sample);
        var header = ExternalTool.Run("readelf", "-hW", path);
        var image = ElfSamples.Parse(sample);

        Assert.Contains($"Class:                             {image.Kind}", header, StringComparison.Ordinal);
        Assert.Contains(image.Endian == "big" ? "big endian" : "little endian", header, StringComparison.Ordinal);
        var entry = ReadelfOutput.Hex(header.Split("Entry point address:")[1].Trim().Split('\n')[0].Trim()[2..]);
        Assert.Equal(entry == 0 ? null : entry, image.EntryPoint);
        var expectedType = header.Contains("REL (", StringComparison.Ordinal) ? "relocatable"
            : header.Contains("DYN (", StringComparison.Ordinal) ? "shared" : "executable";
        Assert.Equal(expectedType, image.FileType);
        Assert.DoesNotContain("unknown", image.Arch, StringComparison.Ordinal);
    }

    [Fact]
    public void Regions_CoverEveryAllocatedSectionWithFileBytes_ForHardenedSample()
    {
        var image = ElfSamples.Parse("vuln-hardened");

        var expected = image.Sections.Where(s => s.Permissions != "---" && s.Type != "NOBITS" && s.Size > 0).Select(s => s.Name);

        Assert.Equal(expected, image.Regions.Select(r => r.Name));
        Assert.Contains(image.Regions, r => r.Name == ".text" && r.Executable);
        Assert.Contains(image.Regions, r => r.Name == ".rodata" && !r.Executable);
    }

    [Fact]
    public void Regions_UseLoadSegments_WhenSectionHeadersAreStripped()
    {
        var image = ElfSamples.Parse("no-section-headers");
        var loads = image.Segments.Where(s => s.Type == "LOAD" && s.FileSize > 0).ToList();

        Assert.Empty(image.Sections);
        Assert.Equal(loads.Select((s, i) => ($"LOAD{i}", s.Address, s.Offset, s.FileSize, s.Permissions.EndsWith('x'))),
            image.Regions.Select(r => (r.Name, r.Address, r.Offset, r.FileSize, r.Executable)));
    }
}
