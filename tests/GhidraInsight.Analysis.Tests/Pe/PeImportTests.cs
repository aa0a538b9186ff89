using System.Globalization;
using System.Text.RegularExpressions;

namespace GhidraInsight.Analysis.Tests.Pe;

public sealed partial class PeImportTests
{
    [Theory]
    [MemberData(nameof(PeSamples.AllData), MemberType = typeof(PeSamples))]
    public void Imports_EqualLlvmReadobjCoffImports(string sample)
    {
        var root = ReadobjNode.Run(PeSamples.Path(sample), "--coff-imports");
        var expected = new List<(string?, string?, int?, bool)>();
        foreach (var import in root.Children.Where(c => c.Name == "Import"))
        {
            expected.AddRange(import.All("Symbol").Select(s => Entry(import.Field("Name"), s, delayed: false)));
        }
        foreach (var delay in root.Children.Where(c => c.Name == "DelayImport"))
        {
            expected.AddRange(delay.Children.Where(c => c.Name == "Import").Select(i => Entry(delay.Field("Name"), i.Field("Symbol")!, delayed: true)));
        }

        var image = PeSamples.Parse(sample);

        if (sample != PeSamples.ReadyToRun)
        {
            Assert.NotEmpty(expected);
        }
        Assert.Equal(expected, image.Imports.Select(i => (i.Library, i.Name, i.Ordinal, i.Delayed)));
    }

    [Fact]
    public void DelayLoadedDll_IsReportedAsDelayedByNameAndOrdinal()
    {
        var image = PeSamples.Parse(PeSamples.Delay64);
        var delayed = image.Imports.Where(i => i.Delayed).ToList();

        Assert.All(delayed, i => Assert.Equal("peexports.dll", i.Library));
        Assert.Contains(delayed, i => i.Name == "add_numbers");
        Assert.Contains(delayed, i => i.Name is null && i.Ordinal == 42);
        Assert.DoesNotContain(image.Imports, i => !i.Delayed && i.Library == "peexports.dll");
    }

    [Fact]
    public void IatSlots_AreNamedAfterTheirImports()
    {
        var path = PeSamples.Path(PeSamples.Risky64);
        var root = ReadobjNode.Run(path, "--coff-imports");
        var imageBase = ReadobjNode.Number(ReadobjNode.Run(path, "--file-headers").Descendants("ImageOptionalHeader").Single().Field("ImageBase")!);
        var kernel32 = root.Children.Single(c => c.Name == "Import" && c.Field("Name") == "KERNEL32.dll");
        var iat = ReadobjNode.Number(kernel32.Field("ImportAddressTableRVA")!);
        var names = kernel32.All("Symbol").Select(s => SymbolLine().Match(s).Groups[1].Value).ToList();
        var index = names.IndexOf("CreateProcessA");

        var image = PeSamples.Parse(PeSamples.Risky64);

        Assert.True(index >= 0);
        Assert.Equal("CreateProcessA", image.StubNames[imageBase + iat + (ulong)(index * 8)]);
        Assert.Equal(image.Imports.Count, image.StubNames.Count);
    }

    /// <summary>llvm-readobj prints <c>name (hint)</c>, or an empty name and the ordinal for imports by ordinal.</summary>
    private static (string?, string?, int?, bool) Entry(string? library, string symbol, bool delayed)
    {
        var match = SymbolLine().Match(symbol);
        Assert.True(match.Success, symbol);
        var name = match.Groups[1].Value;
        var number = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return name.Length == 0 ? (library, null, number, delayed) : (library, name, null, delayed);
    }

    [GeneratedRegex(@"^(.*?)\s*\((\d+)\)$")]
    private static partial Regex SymbolLine();
}
