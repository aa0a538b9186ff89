namespace GhidraInsight.Analysis.Tests.Pe;

public sealed class PeFunctionSeedTests
{
    [Theory]
    [InlineData(PeSamples.Risky64)]
    [InlineData(PeSamples.Exports64)]
    [InlineData(PeSamples.Delay64)]
    [InlineData(PeSamples.MingwRuntime)]
    public void PdataSeeds_EqualLlvmReadobjUnwindRuntimeFunctions(string sample)
    {
        var expected = ReadobjNode.Run(PeSamples.Path(sample), "--unwind").Descendants("RuntimeFunction").Select(f =>
        {
            var start = ReadobjNode.Number(f.Field("StartAddress")!);
            return (Address: start, Size: (long?)(long)(ReadobjNode.Number(f.Field("EndAddress")!) - start));
        }).ToList();

        var image = PeSamples.Parse(sample);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, image.FunctionSeeds.Where(s => s.Source == "pdata").Select(s => (s.Address, s.Size)));
    }

    [Fact]
    public void PdataSeeds_OfReadyToRunCoreLib_CoverTheExceptionDirectory()
    {
        var root = ReadobjNode.Run(PeSamples.Path(PeSamples.ReadyToRun), "--file-headers");
        var size = ReadobjNode.Number(root.Descendants("DataDirectory").Single().Field("ExceptionTableSize")!);

        var image = PeSamples.Parse(PeSamples.ReadyToRun);
        var seeds = image.FunctionSeeds.Where(s => s.Source == "pdata").ToList();
        var text = image.Regions.Single(r => r.Executable);

        Assert.Equal((int)(size / 12), seeds.Count);
        Assert.All(seeds, s => Assert.True(text.ContainsAddress(s.Address)));
        Assert.Empty(image.Errors);
    }

    [Theory]
    [InlineData(PeSamples.Risky64)]
    [InlineData(PeSamples.Risky32)]
    public void EntryPoint_IsASeed(string sample)
    {
        var image = PeSamples.Parse(sample);

        Assert.NotNull(image.EntryPoint);
        Assert.Contains(new Formats.FunctionSeed(image.EntryPoint.Value, null, "entry"), image.FunctionSeeds);
    }

    [Theory]
    [InlineData(PeSamples.Risky64)]
    [InlineData(PeSamples.Risky32)]
    public void CoffFunctionSymbols_EqualLlvmReadobjSymbols(string sample)
    {
        var path = PeSamples.Path(sample);
        var imageBase = ReadobjNode.Number(ReadobjNode.Run(path, "--file-headers").Descendants("ImageOptionalHeader").Single().Field("ImageBase")!);
        var sectionVa = ReadobjNode.Run(path, "--sections").Descendants("Section")
            .ToDictionary(s => (int)ReadobjNode.Number(s.Field("Number")!), s => ReadobjNode.Number(s.Field("VirtualAddress")!));
        // "Section: .text (1)"; functions carry "ComplexType: Function (0x2)".
        var expected = ReadobjNode.Run(path, "--symbols").Descendants("Symbol")
            .Where(s => s.Field("ComplexType")!.StartsWith("Function", StringComparison.Ordinal)
                && s.Field("StorageClass")!.Split(' ')[0] is "External" or "Static"
                && s.Field("Section")!.StartsWith('.'))
            .Select(s => (s.Field("Name")!, imageBase + sectionVa[(int)ReadobjNode.Number(s.Field("Section")!)] + ReadobjNode.Number(s.Field("Value")!)))
            .Order().ToList();

        var image = PeSamples.Parse(sample);
        var actual = image.Symbols.Where(s => s.Source == "coff" && s.Type == "func").Select(s => (s.Name, s.Address)).Order().ToList();

        Assert.Contains(expected, e => e.Item1 is "main" or "_main");
        Assert.Equal(expected, actual);
        Assert.Contains(image.FunctionSeeds, s => s.Source == "symbol" && s.Name is "scale" or "_scale");
    }
}
