using System.Globalization;
using System.Text.RegularExpressions;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Pe;

public sealed partial class PeExportTests
{
    [Theory]
    [InlineData(PeSamples.Exports64)]
    [InlineData(PeSamples.Exports32)]
    [InlineData(PeSamples.MingwRuntime)]
    public void Exports_EqualLlvmReadobjCoffExports(string sample)
    {
        var path = PeSamples.Path(sample);
        var imageBase = ReadobjNode.Number(ReadobjNode.Run(path, "--file-headers").Descendants("ImageOptionalHeader").Single().Field("ImageBase")!);
        var expected = ReadobjNode.Run(path, "--coff-exports").Children.Where(c => c.Name == "Export").Select(e =>
        {
            var ordinal = (int)ReadobjNode.Number(e.Field("Ordinal")!);
            var name = e.Field("Name")!;
            return (Name: name.Length == 0 ? "#" + ordinal.ToString(CultureInfo.InvariantCulture) : name,
                Ordinal: (int?)ordinal, Address: imageBase + ReadobjNode.Number(e.Field("RVA")!));
        }).OrderBy(e => e.Ordinal).ToList();

        var image = PeSamples.Parse(sample);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, image.Exports.Select(e => (e.Name, e.Ordinal, e.Address)).OrderBy(e => e.Ordinal));
        var named = image.Exports.Where(e => !e.Name.StartsWith('#') && e.Forwarder is null).Select(e => (e.Name, e.Address)).Order();
        Assert.Equal(named, image.Symbols.Where(s => s.Source == "export").Select(s => (s.Name, s.Address)).Order());
    }

    [Theory]
    [InlineData(PeSamples.Exports64)]
    [InlineData(PeSamples.Exports32)]
    public void Forwarders_EqualObjdumpForwarderRvas(string sample)
    {
        // objdump -p: "[   3] +base[  40] 808e Forwarder RVA -- KERNEL32.HeapAlloc"
        var forwarders = ForwarderLine().Matches(ExternalTool.Run("x86_64-w64-mingw32-objdump", "-p", PeSamples.Path(sample)))
            .Select(m => (Ordinal: (int?)int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Target: (string?)m.Groups[2].Value.Trim()))
            .ToList();

        var image = PeSamples.Parse(sample);

        Assert.Equal([(40, "KERNEL32.HeapAlloc")], forwarders.Select(f => ((int)f.Ordinal!, f.Target!)));
        Assert.Equal(forwarders, image.Exports.Where(e => e.Forwarder is not null).Select(e => (e.Ordinal, e.Forwarder)));
        Assert.DoesNotContain(image.FunctionSeeds, s => s.Name == "heap_alloc_fwd");
    }

    [Fact]
    public void ExportedFunctions_AreFunctionSeedsAndExportedDataIsNot()
    {
        var image = PeSamples.Parse(PeSamples.Exports64);
        var seeds = image.FunctionSeeds.Where(s => s.Source == "export").ToList();

        Assert.Contains(seeds, s => s.Name == "add_numbers");
        Assert.Contains(seeds, s => s.Name is null && s.Address == image.Exports.Single(e => e.Ordinal == 42).Address);
        Assert.DoesNotContain(seeds, s => s.Name == "exported_counter");
        Assert.Equal("object", image.Symbols.Single(s => s.Name == "exported_counter" && s.Source == "export").Type);
        Assert.Equal("func", image.Symbols.Single(s => s.Name == "greeting" && s.Source == "export").Type);
    }

    [GeneratedRegex(@"\+base\[\s*(\d+)\]\s+[0-9a-f]+ Forwarder RVA -- (\S+)")]
    private static partial Regex ForwarderLine();
}
