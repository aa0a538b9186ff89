namespace GhidraInsight.Analysis.Tests.Elf;

/// <summary>.eh_frame FDEs compared with readelf's frame dump; PLT stub names compared with objdump's labels.</summary>
public sealed class ElfFrameAndStubTests
{
    [Theory]
    [MemberData(nameof(ElfSamples.LinkedData), MemberType = typeof(ElfSamples))]
    public void EhFrameSeeds_MatchReadelfFdeRanges(string sample)
    {
        var image = ElfSamples.Parse(sample);
        var expected = ReadelfOutput.FdeRanges(ElfSamples.PathOf(sample)).Select(r => (r.Start, (long)(r.End - r.Start))).Order();

        var actual = image.FunctionSeeds.Where(s => s.Source == "eh_frame").Select(s => (s.Address, s.Size!.Value)).Order();

        // ARM unwinds through .ARM.exidx and the MIPS sample has no .eh_frame: both sides are empty there.
        if (ElfSamples.HostExecutables.Contains(sample))
        {
            Assert.NotEmpty(expected);
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EhFrameSeeds_AreFoundThroughEhFrameHdr_WhenSectionHeadersAreStripped()
    {
        var expected = ReadelfOutput.FdeRanges(ElfSamples.PathOf("vuln-hardened")).Select(r => r.Start).Order();

        var image = ElfSamples.Parse("no-section-headers");

        Assert.Equal(expected, image.FunctionSeeds.Where(s => s.Source == "eh_frame").Select(s => s.Address).Order());
    }

    [Theory]
    [InlineData("vuln-nopie")]
    [InlineData("vuln-hardened")]
    [InlineData("library-so")]
    [InlineData("usr-bin-ls")]
    [InlineData("dotnet-clrjit")]
    [InlineData("i386-so")]
    public void PltStubNames_MatchObjdumpLabels(string sample)
    {
        var expected = ReadelfOutput.PltLabels(ElfSamples.PathOf(sample));

        var image = ElfSamples.Parse(sample);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(p => p.Key), image.StubNames.OrderBy(p => p.Key));
    }

    [Fact]
    public void PltStubNames_NameTheRiskyCalls_ForNoPieSample()
    {
        var names = ElfSamples.Parse("vuln-nopie").StubNames.Values.ToHashSet();

        Assert.Superset(new HashSet<string> { "gets@plt", "system@plt", "strcpy@plt", "printf@plt" }, names);
    }
}
