using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.MachO;

/// <summary>A big-endian PowerPC executable written by yaml2obj from <c>Samples/macho/ppc_exec.yaml</c>.</summary>
public sealed class MachOBigEndianTests
{
    private static string Sample() => SampleBinaries.Make(
        "macho_ppc_exec",
        "yaml2obj",
        output => [SampleBinaries.SourcePath("macho/ppc_exec.yaml"), "-o", output]);

    [Fact]
    public void Parse_BigEndianPowerPc_ReadsHeaderSectionsAndThreadEntry()
    {
        var path = Sample();
        var image = MachOSamples.ParseSingle(path);
        var headers = ObjdumpMachO.PrivateHeaders(path);

        Assert.Equal(("Mach-O 32", "ppc", 32, "big", "executable"), (image.Kind, image.Arch, image.Bits, image.Endian, image.FileType));
        Assert.Empty(image.Errors);
        var section = Assert.Single(headers.Sections);
        Assert.Equal(
            [(section["sectname"], ObjdumpMachO.Number(section["addr"]), (long)ObjdumpMachO.Number(section["offset"]), (long)ObjdumpMachO.Number(section["size"]))],
            image.Sections.Select(s => (s.Name, s.Address, s.Offset, s.Size)));
        Assert.Equal(0x1f00UL, image.EntryPoint);
        Assert.True(Assert.Single(image.Regions).Executable);
    }

    [Fact]
    public void Parse_BigEndianPowerPc_SymbolsEqualLlvmNmAndBadOrdinalLeavesLibraryUnknown()
    {
        var path = Sample();
        var image = MachOSamples.ParseSingle(path);
        var nm = ExternalTool.Run("llvm-nm", path);

        Assert.Equal(["00001f00 T _main", "U _puts"], nm.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        Assert.Contains(image.Symbols, s => s is { Name: "_main", Address: 0x1f00, Type: "func", Binding: "global", Section: "__text" });
        Assert.Contains(image.Symbols, s => s is { Name: "_puts", Section: "UND" });
        Assert.Equal([("_puts", (string?)null)], image.Imports.Select(i => (i.Name, i.Library)));
        Assert.Contains(image.FunctionSeeds, s => s is { Address: 0x1f00, Name: "_main", Source: "symbol" });
    }
}
