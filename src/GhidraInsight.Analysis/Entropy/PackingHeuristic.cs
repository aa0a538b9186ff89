using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Entropy;

/// <summary>
/// Says whether a file looks packed or encrypted: compressed or encrypted bytes sit near 8 bits/byte,
/// while code and data of ordinary programs stay well below 7.
/// </summary>
internal static class PackingHeuristic
{
    private const double HighEntropy = 7.2;
    private const long MinimumMeaningfulSize = 1024;
    private static readonly string[] PackerSectionNames = ["UPX0", "UPX1", "UPX2", ".aspack", ".adata", ".MPRESS1", ".MPRESS2", ".petite", ".nsp0", ".nsp1", "PEC2", ".themida", ".vmp0", ".vmp1"];

    public static (bool Packed, string Reason) Judge(double overall, long size, IEnumerable<SectionInfo> sections)
    {
        var list = sections.ToList();
        var packerSection = list.FirstOrDefault(s => PackerSectionNames.Contains(s.Name, StringComparer.OrdinalIgnoreCase));
        if (packerSection is not null)
        {
            return (true, $"section {packerSection.Name} is a known packer's");
        }
        var hotCode = list.FirstOrDefault(s => s.Permissions.Contains('x', StringComparison.Ordinal) && s.FileSize >= MinimumMeaningfulSize && s.Entropy > HighEntropy);
        if (hotCode is not null)
        {
            return (true, $"executable section {hotCode.Name} has entropy {hotCode.Entropy:F2}");
        }
        if (size >= MinimumMeaningfulSize && overall > HighEntropy)
        {
            return (true, $"whole-file entropy {overall:F2} is above {HighEntropy}");
        }
        return (false, $"whole-file entropy {overall:F2}; no executable section above {HighEntropy}");
    }
}
