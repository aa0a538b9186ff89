using System.Globalization;

namespace GhidraInsight.Server.Tests.Support;

/// <summary>Reads values out of Prometheus text exposition.</summary>
internal static class MetricsText
{
    /// <summary>Sum of every sample of <paramref name="name"/> (all label sets).</summary>
    public static double Sum(string exposition, string name) => exposition
        .Split('\n')
        .Where(line => line.StartsWith(name, StringComparison.Ordinal) && (line.Length > name.Length && (line[name.Length] == '{' || line[name.Length] == ' ')))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
