using System.Globalization;
using System.Text;
using GhidraInsight.Analysis.Entropy;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Entropy;

public sealed class EntropyTests
{
    [Theory]
    [InlineData(RealBinaries.Ls)]
    [InlineData("libcoreclr.so")]
    public void Entropy_AgreesWithYaraMathEntropy_ForFileAndEverySection(string file)
    {
        var path = File.Exists(file) ? file : RealBinaries.RuntimeLibrary(file);
        var bytes = File.ReadAllBytes(path);
        var result = new AnalysisEngine().Analyze(bytes);
        var ranges = new List<(string Name, long Offset, long Size, double Ours)> { ("file", 0, bytes.Length, result.Entropy.Overall) };
        ranges.AddRange(result.Sections.Where(s => s.Entropy is not null)
            .Select(s => (s.Name, s.Offset, Math.Min(s.FileSize, bytes.Length - s.Offset), s.Entropy!.Value)));
        // Fixed windows too, so the check does not depend on the section parser alone.
        ranges.Add(("window1", 17, 4093, ShannonEntropy.Compute(bytes.AsSpan(17, 4093))));
        ranges.Add(("window2", bytes.Length / 2, bytes.Length / 3, ShannonEntropy.Compute(bytes.AsSpan(bytes.Length / 2, bytes.Length / 3))));

        // yara prints no numbers, so each rule asks it whether math.entropy lies within 5e-7 of ours.
        var rules = new StringBuilder("import \"math\"\n");
        for (var i = 0; i < ranges.Count; i++)
        {
            var (_, offset, size, ours) = ranges[i];
            rules.Append(CultureInfo.InvariantCulture, $"rule r{i} {{ condition: math.entropy({offset}, {size}) >= {Math.Max(0, ours - 5e-7):F9} and math.entropy({offset}, {size}) <= {ours + 5e-7:F9} }}\n");
        }
        var rulesPath = SampleBinaries.TempPath($"entropy-{Path.GetFileName(path)}.yar");
        File.WriteAllText(rulesPath, rules.ToString());
        var matched = ExternalTool.Run("yara", rulesPath, path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .ToHashSet();

        Assert.True(ranges.Count > 4, "expected sections with entropy");
        var disagreeing = ranges.Where((_, i) => !matched.Contains($"r{i}")).Select(r => $"{r.Name} ({r.Ours:F7})").ToList();
        Assert.Empty(disagreeing);
    }

    [Fact]
    public void Entropy_OfNothing_IsZero() => Assert.Equal(0, ShannonEntropy.Compute([]));

    [Fact]
    public void Packed_IsReported_ForRandomBytes_AndNotForAnOrdinaryProgram()
    {
        var random = new byte[64 * 1024];
        new Random(7).NextBytes(random);
        Assert.True(new AnalysisEngine().Analyze(random).Entropy.Packed);
        Assert.False(new AnalysisEngine().Analyze(File.ReadAllBytes(RealBinaries.Ls)).Entropy.Packed);
    }
}
