namespace GhidraInsight.Analysis.Model;

/// <summary>An imported function or a needed library (name null when only the library is known).</summary>
public sealed record ImportInfo
{
    public string? Library { get; init; }
    public string? Name { get; init; }
    public int? Ordinal { get; init; }
    /// <summary>PE delay-load import.</summary>
    public bool Delayed { get; init; }
}
