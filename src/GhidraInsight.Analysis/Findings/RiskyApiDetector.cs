using GhidraInsight.Analysis.Formats;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Analysis.Findings;

/// <summary>Turns imported (or statically linked) risky APIs into findings, one per API.</summary>
internal static class RiskyApiDetector
{
    public static List<Finding> Detect(BinaryImage image)
    {
        // Mach-O and 32-bit Windows prefix C names with '_'; ELF and PE32+ do not.
        var leadingUnderscore = image.Format == "macho" || (image.Format == "pe" && image.Bits == 32);
        var findings = new Dictionary<string, Finding>(StringComparer.Ordinal);
        foreach (var import in image.Imports)
        {
            if (import.Name is { } name)
            {
                Add(findings, name, null, leadingUnderscore);
            }
        }
        // A statically linked program has no imports: its own copies of the functions are what it uses.
        // (A library that merely defines them, like libc itself, has imports and is not flagged for that.)
        var statically = image.Imports.Count == 0;
        foreach (var symbol in statically ? image.Symbols : [])
        {
            if (symbol.Type is "func" or null && symbol.Section != "UND")
            {
                Add(findings, symbol.Name, symbol.Address == 0 ? null : symbol.Address, leadingUnderscore);
            }
        }
        foreach (var (address, stub) in image.StubNames)
        {
            Add(findings, stub, address, leadingUnderscore);
        }
        return [.. findings.Values.OrderBy(f => f.Symbol, StringComparer.Ordinal)];
    }

    private static void Add(Dictionary<string, Finding> findings, string name, ulong? address, bool leadingUnderscore)
    {
        var stubName = name.Contains('!', StringComparison.Ordinal) ? name[(name.IndexOf('!', StringComparison.Ordinal) + 1)..] : name;
        foreach (var candidate in SymbolNames.Undecorate(stubName, leadingUnderscore))
        {
            if (RiskyApiCatalog.Find(candidate) is not { } api)
            {
                continue;
            }
            if (findings.TryGetValue(candidate, out var existing))
            {
                if (existing.Address is null && address is not null)
                {
                    findings[candidate] = existing with { Address = address };
                }
                return;
            }
            findings[candidate] = new Finding
            {
                Type = api.Type,
                Severity = api.Severity,
                Cwe = api.Cwe,
                Symbol = candidate,
                Address = address,
                Recommendation = api.Recommendation,
            };
            return;
        }
    }
}
