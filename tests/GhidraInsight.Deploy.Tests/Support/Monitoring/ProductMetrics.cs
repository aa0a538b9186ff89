using System.Text.RegularExpressions;

namespace GhidraInsight.Deploy.Tests.Support.Monitoring;

/// <summary>
/// The metric names the product exports, read from its source at test time: every <c>"ghidrainsight_…"</c> string literal
/// under src/, and for a histogram (<c>CreateHistogram("…")</c>) the series Prometheus scrapes from it (<c>_bucket</c>,
/// <c>_sum</c>, <c>_count</c>) in place of its own name, which no series has. A metric renamed in the code is then unknown to
/// the alerts and the dashboard at once.
/// </summary>
internal static partial class ProductMetrics
{
    private static readonly Lazy<IReadOnlySet<string>> Names = new(Scan);

    public static IReadOnlySet<string> Known => Names.Value;

    private static HashSet<string> Scan()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var histograms = new HashSet<string>(StringComparer.Ordinal);
        var sources = Directory.EnumerateFiles(DeployFiles.FullPath("src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
        foreach (var source in sources)
        {
            var text = File.ReadAllText(source);
            names.UnionWith(Literal().Matches(text).Select(match => match.Groups["name"].Value));
            histograms.UnionWith(Histogram().Matches(text).Select(match => match.Groups["name"].Value));
        }
        names.ExceptWith(histograms);
        names.UnionWith(histograms.SelectMany(histogram => new[] { histogram + "_bucket", histogram + "_sum", histogram + "_count" }));
        return names;
    }

    [GeneratedRegex(@"""(?<name>ghidrainsight_[a-z0-9_]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex Literal();

    [GeneratedRegex(@"CreateHistogram\(\s*""(?<name>ghidrainsight_[a-z0-9_]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex Histogram();
}
