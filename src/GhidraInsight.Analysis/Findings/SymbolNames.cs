namespace GhidraInsight.Analysis.Findings;

/// <summary>Removes the decorations that toolchains add to C function names, so matching is by exact name.</summary>
internal static class SymbolNames
{
    /// <summary>
    /// Candidate undecorated forms of <paramref name="name"/>: without <c>@plt</c>/<c>@GLIBC_x</c>, <c>__isoc99_</c>/<c>__isoc23_</c>,
    /// a leading <c>_</c> (Mach-O, 32-bit Windows), stdcall <c>@N</c>, the <c>__imp_</c> prefix, and a Windows
    /// <c>A</c>/<c>W</c> suffix. The first candidate is the name with only the unambiguous decorations removed.
    /// </summary>
    public static IEnumerable<string> Undecorate(string name, bool leadingUnderscore)
    {
        var core = name;
        var at = core.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            core = core[..at];
        }
        if (core.StartsWith("__imp_", StringComparison.Ordinal))
        {
            core = core["__imp_".Length..];
        }
        if (leadingUnderscore && core.Length > 1 && core[0] == '_')
        {
            core = core[1..];
        }
        foreach (var prefix in new[] { "__isoc99_", "__isoc23_" })
        {
            if (core.StartsWith(prefix, StringComparison.Ordinal))
            {
                core = core[prefix.Length..];
            }
        }
        yield return core;
        var wideOrAnsi = core.Length > 1 && (core[^1] == 'A' || core[^1] == 'W');
        if (wideOrAnsi && (char.IsLower(core[^2]) || core.EndsWith("Ex" + core[^1], StringComparison.Ordinal)))
        {
            yield return core[..^1];
        }
    }
}
