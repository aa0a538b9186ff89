using GhidraInsight.Configuration;

namespace GhidraInsight.Deploy.Tests.Support.Kubernetes;

/// <summary>
/// The environment variables the product's configuration loader reads: each key's <c>GHIDRA_SECTION__KEY</c> and the seed
/// names (<c>GHIDRA_REGION_CURRENT</c>, …). The loader itself refuses a misspelt <c>GHIDRA_SECTION__KEY</c> but cannot tell a
/// misspelt seed name (<c>GHIDRA_REGION_CURRNET</c>) from a variable of Ghidra's own, which it ignores; this list can.
/// </summary>
internal static class ProductVariables
{
    private static readonly HashSet<string> Names = new(
        ConfigNames.All.SelectMany(name => new[] { name.EnvironmentVariable, name.SeedEnvironmentVariable }).OfType<string>(), StringComparer.Ordinal);

    /// <summary>The names among <paramref name="variables"/> that no configuration key answers to.</summary>
    public static IReadOnlyList<string> NotRead(IEnumerable<string> variables) => [.. variables.Where(variable => !Names.Contains(variable))];
}
