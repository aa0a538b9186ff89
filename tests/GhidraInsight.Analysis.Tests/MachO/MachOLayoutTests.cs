using GhidraInsight.Analysis.Formats;

namespace GhidraInsight.Analysis.Tests.MachO;

/// <summary>Header fields, segments, sections and regions against <c>llvm-objdump --macho --private-headers</c>.</summary>
public sealed class MachOLayoutTests
{
    public static TheoryData<string> Archs => new(MachOSamples.LinkedArchs);

    [Theory]
    [MemberData(nameof(Archs))]
    public void Parse_ThinExecutable_ReportsHeaderFields(string arch)
    {
        var image = MachOSamples.ParseSingle(MachOSamples.Linked(arch));

        Assert.Equal(("macho", "Mach-O 64", arch, 64, "little", "executable"),
            (image.Format, image.Kind, image.Arch, image.Bits, image.Endian, image.FileType));
        Assert.Equal(0x100000000UL, image.ImageBase);
        Assert.Empty(image.Errors);
    }

    [Theory]
    [MemberData(nameof(Archs))]
    public void Parse_ThinExecutable_SegmentsAndSectionsEqualObjdump(string arch)
    {
        var path = MachOSamples.Linked(arch);
        AssertLayoutEqualsObjdump(MachOSamples.ParseSingle(path), ObjdumpMachO.PrivateHeaders(path), sliceOffset: 0);
    }

    [Theory]
    [MemberData(nameof(Archs))]
    public void Parse_UniversalFile_EachSliceEqualsObjdumpShiftedBySliceOffset(string arch)
    {
        var path = MachOSamples.Universal();
        var images = MachOSamples.Parse(path);
        var expected = ObjdumpMachO.UniversalSlices(path)[arch];

        Assert.Equal(2, images.Count);
        var image = MachOSamples.Slice(images, arch);
        Assert.Equal(expected, (image.ImageOffset, image.ImageSize));
        Assert.True(image.ImageOffset > 0);
        Assert.Empty(image.Errors);
        AssertLayoutEqualsObjdump(image, ObjdumpMachO.PrivateHeaders(path, arch), image.ImageOffset);
    }

    [Fact]
    public void Parse_I386Object_Reports32BitObjectAndItsSections()
    {
        var path = MachOSamples.Object("i386-apple-macos10.7");
        var image = MachOSamples.ParseSingle(path);

        Assert.Equal(("Mach-O 32", "x86", 32, "object"), (image.Kind, image.Arch, image.Bits, image.FileType));
        Assert.Equal(32, image.X86Bitness);
        Assert.Empty(image.Errors);
        AssertLayoutEqualsObjdump(image, ObjdumpMachO.PrivateHeaders(path), sliceOffset: 0);
    }

    [Theory]
    [MemberData(nameof(Archs))]
    public void Parse_ThinExecutable_MapsEverySectionWithBytesAndMarksOnlyCodeExecutable(string arch)
    {
        var image = MachOSamples.ParseSingle(MachOSamples.Linked(arch));

        var withBytes = image.Sections.Where(s => s.FileSize > 0).ToList();
        Assert.Equal(withBytes.Select(s => (s.Name, s.Address, s.Offset, s.FileSize)),
            image.Regions.Select(r => (r.Name, r.Address, r.Offset, r.FileSize)));
        Assert.Equal(["__text", "__stubs", "__stub_helper"],
            image.Regions.Where(r => r.Executable).Select(r => r.Name).Where(n => n != "__auth_stubs"));
        Assert.DoesNotContain(image.Regions, r => r.Name == "__common" || r.Name == "__bss");
    }

    private static void AssertLayoutEqualsObjdump(BinaryImage image, ObjdumpMachO expected, long sliceOffset)
    {
        var segments = expected.Commands.Where(c => c["cmd"] is "LC_SEGMENT" or "LC_SEGMENT_64").ToList();
        Assert.NotEmpty(segments);
        Assert.Equal(
            segments.Select(s => (s["segname"], (long)ObjdumpMachO.Number(s["fileoff"]) + sliceOffset, ObjdumpMachO.Number(s["vmaddr"]),
                (long)ObjdumpMachO.Number(s["filesize"]), (long)ObjdumpMachO.Number(s["vmsize"]), s["initprot"])),
            image.Segments.Select(s => (s.Type, s.Offset, s.Address, s.FileSize, s.MemorySize, s.Permissions)));

        Assert.NotEmpty(expected.Sections);
        Assert.Equal(
            expected.Sections.Select(s =>
            {
                var type = s["type"].ToLowerInvariant().Replace("s_", "", StringComparison.Ordinal);
                var offset = (long)ObjdumpMachO.Number(s["offset"]);
                var size = (long)ObjdumpMachO.Number(s["size"]);
                var zeroFill = type.EndsWith("zerofill", StringComparison.Ordinal);
                return (s["sectname"], s["segname"], ObjdumpMachO.Number(s["addr"]), zeroFill && offset == 0 ? 0 : offset + sliceOffset,
                    size, zeroFill ? 0 : size, type);
            }),
            image.Sections.Select(s => (s.Name, s.Segment ?? "", s.Address, s.Offset, s.Size, s.FileSize, s.Type ?? "")));
        Assert.Contains(image.Sections, s => s.Type == "zerofill");
    }
}
