using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Findings;

public sealed class FindingsTests
{
    [Theory]
    [InlineData("elf/vuln.c", "gcc", "gets,strcpy,system")]
    [InlineData("pe/risky.c", "x86_64-w64-mingw32-gcc", "CreateProcess,IsDebuggerPresent,WinExec,strcpy,system")]
    [InlineData("pe/risky.c", "i686-w64-mingw32-gcc", "CreateProcess,IsDebuggerPresent,WinExec,strcpy,system")]
    public void RiskyImports_AreReported_WithSeverityCweAndRecommendation(string source, string compiler, string expected)
    {
        var path = SampleBinaries.Build(compiler, source, $"findings-{compiler}-{Path.GetFileNameWithoutExtension(source)}{(compiler.Contains('w', StringComparison.Ordinal) ? ".exe" : "")}", "-O0", "-fno-builtin");
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(path));
        var risky = expected.Split(',');

        Assert.Subset(result.Findings.Select(f => f.Symbol).ToHashSet(), risky.ToHashSet());
        Assert.All(result.Findings, f =>
        {
            Assert.Matches("^CWE-[0-9]+$", f.Cwe);
            Assert.Contains(f.Severity, new[] { "low", "medium", "high", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(f.Recommendation));
        });
        // Every finding names a function the binary really imports (readelf/llvm-readobj tests cover the imports).
        Assert.All(result.Findings, f => Assert.Contains(result.Imports, i => i.Name is { } n && n.Contains(f.Symbol, StringComparison.Ordinal)));
    }

    [Fact]
    public void MachOImports_AreMatchedWithoutTheirLeadingUnderscore()
    {
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(CommonSamples.MachO64()));
        Assert.Contains(result.Findings, f => f.Symbol == "strcpy");
        Assert.Contains(result.Findings, f => f.Symbol == "system");
    }

    [Fact]
    public void OrdinaryProgram_HasNoFindingForSimilarNames()
    {
        // ls imports getopt_long, fputs_unlocked, strcoll …: none is a risky API by exact name.
        var result = new AnalysisEngine().Analyze(File.ReadAllBytes(RealBinaries.Ls));
        Assert.DoesNotContain(result.Findings, f => f.Symbol is "gets" or "system" or "popen");
    }
}
