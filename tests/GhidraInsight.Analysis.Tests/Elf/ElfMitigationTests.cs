using System.Text.Json;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Elf;

/// <summary>Mitigations compared with checksec 2.6 (<c>checksec --file=X --output=json</c>).</summary>
public sealed class ElfMitigationTests
{
    [Theory]
    [MemberData(nameof(ElfSamples.HostData), MemberType = typeof(ElfSamples))]
    public void Mitigations_MatchChecksec(string sample)
    {
        var path = ElfSamples.PathOf(sample);
        using var json = JsonDocument.Parse(ExternalTool.Run("checksec", $"--file={path}", "--output=json"));
        var report = json.RootElement.EnumerateObject().Single().Value;
        string Field(string name) => report.GetProperty(name).GetString()!;

        var m = ElfSamples.Parse(sample).Mitigations;

        Assert.Equal(Field("nx") == "yes", m.Nx);
        // checksec says "dso" for a shared library without DT_DEBUG; the model counts every ET_DYN as position independent.
        Assert.Equal(Field("pie") is "yes" or "dso", m.Pie);
        Assert.Equal(Field("relro") == "no" ? "none" : Field("relro"), m.Relro);
        Assert.Equal(Field("canary") == "yes", m.Canary);
        Assert.Equal(Field("fortify_source") == "yes", m.Fortify);
    }

    [Fact]
    public void Mitigations_AreAllOff_ForNoPieExecstackNorelroSample()
    {
        var m = ElfSamples.Parse("vuln-nopie").Mitigations;

        Assert.Equal((false, false, "none", false, false), (m.Nx, m.Pie, m.Relro, m.Canary, m.Fortify));
    }

    [Fact]
    public void Mitigations_AreAllOn_ForHardenedSample()
    {
        var m = ElfSamples.Parse("vuln-hardened").Mitigations;

        Assert.Equal((true, true, "full", true, true), (m.Nx, m.Pie, m.Relro, m.Canary, m.Fortify));
    }
}
