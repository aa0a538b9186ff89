using System.Globalization;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.MachO;

/// <summary>Symbols, imports, exports and stub names against llvm-nm and llvm-objdump.</summary>
public sealed class MachOSymbolTests
{
    public static TheoryData<string, string?> Images => new()
    {
        { "x86_64", null },
        { "arm64", null },
        { "x86_64", "fat" },
        { "arm64", "fat" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Parse_Symbols_EqualLlvmNm(string arch, string? container)
    {
        var (image, path, archArgs) = Load(arch, container);
        var nm = ExternalTool.Run("llvm-nm", [.. archArgs, path]);

        var expected = nm.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length == 2
                ? (parts[1], false, 0UL, char.IsUpper(parts[0][0]))
                : (parts[2], true, ulong.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), char.IsUpper(parts[1][0]));
        }).Order();
        var actual = image.Symbols
            .Select(s => (s.Name, s.Section != "UND", s.Address, s.Binding == "global"))
            .Order();
        Assert.Equal(expected, actual);
        Assert.Contains(image.Symbols, s => s is { Name: "_square", Type: "func", Binding: "local", Section: "__text" });
        Assert.Contains(image.Symbols, s => s is { Name: "_counter", Type: "object", Section: "__data" });
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Parse_Dylibs_EqualObjdumpDylibsUsed(string arch, string? container)
    {
        var (image, path, archArgs) = Load(arch, container);
        var output = ExternalTool.Run("llvm-objdump", ["--macho", "--dylibs-used", .. archArgs, path]);

        var expected = output.Split('\n').Where(l => l.StartsWith('\t')).Select(l => l.Trim().Split(" (")[0]);
        Assert.Equal(expected, image.Imports.Where(i => i.Name is null).Select(i => i.Library));
        Assert.Equal(["/usr/lib/libSystem.B.dylib", "/usr/local/lib/libextra.dylib"], expected);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Parse_UndefinedSymbols_BecomeImportsFromTheirTwoLevelLibrary(string arch, string? container)
    {
        var (image, path, archArgs) = Load(arch, container);
        var nm = ExternalTool.Run("llvm-nm", ["-m", "--undefined-only", .. archArgs, path]);

        // "(undefined) external _puts (from libSystem)": the short name is the install name's file name up to the first dot.
        var expected = nm.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => (l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], l[(l.LastIndexOf("(from ", StringComparison.Ordinal) + 6)..^1]))
            .Order();
        var actual = image.Imports.Where(i => i.Name is not null)
            .Select(i => (i.Name!, Path.GetFileName(i.Library ?? "")!.Split('.')[0]))
            .Order();
        Assert.Equal(expected, actual);
        Assert.True(image.Mitigations.Canary);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Parse_Exports_EqualDefinedExternalSymbolsOfLlvmNm(string arch, string? container)
    {
        var (image, path, archArgs) = Load(arch, container);
        var nm = ExternalTool.Run("llvm-nm", ["--extern-only", "--defined-only", .. archArgs, path]);

        var expected = nm.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).Select(p => (p[2], ulong.Parse(p[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture))).Order();
        Assert.Equal(expected, image.Exports.Select(e => (e.Name, e.Address)).Order());
        Assert.Contains(image.Exports, e => e.Name == "_main");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Parse_SymbolStubs_AreNamedAsObjdumpIndirectSymbols(string arch, string? container)
    {
        var (image, path, archArgs) = Load(arch, container);
        var output = ExternalTool.Run("llvm-objdump", ["--macho", "--indirect-symbols", .. archArgs, path]);

        var stubs = output.Split("Indirect symbols for ").Single(block => block.StartsWith("(__TEXT,__stubs)", StringComparison.Ordinal));
        var expected = stubs.Split('\n').Skip(2).Where(l => l.StartsWith("0x", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => (ObjdumpMachO.Number(p[0]), p[2]));
        Assert.Equal(8, expected.Count());
        Assert.Equal(expected.Order(), image.StubNames.Select(kv => (kv.Key, kv.Value)).Order());
    }

    [Fact]
    public void Parse_ArmObject_HasLocalAndUndefinedSymbolsWithoutLibraries()
    {
        var image = MachOSamples.ParseSingle(MachOSamples.Object("arm64-apple-macos11"));

        Assert.Equal("object", image.FileType);
        Assert.Contains(image.Imports, i => i is { Name: "_printf", Library: null });
        Assert.Contains(image.FunctionSeeds, s => s is { Name: "_add_numbers", Source: "symbol" });
        Assert.Empty(image.Errors);
    }

    private static (Formats.BinaryImage Image, string Path, string[] ArchArgs) Load(string arch, string? container)
    {
        if (container is null)
        {
            var thin = MachOSamples.Linked(arch);
            return (MachOSamples.ParseSingle(thin), thin, []);
        }
        var fat = MachOSamples.Universal();
        return (MachOSamples.Slice(MachOSamples.Parse(fat), arch), fat, MachOSamples.ArchArgs(arch));
    }
}
