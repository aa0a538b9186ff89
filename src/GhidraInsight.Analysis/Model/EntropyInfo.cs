namespace GhidraInsight.Analysis.Model;

/// <summary>Whole-file entropy and the packed/encrypted verdict.</summary>
public sealed record EntropyInfo
{
    public double Overall { get; init; }
    public bool Packed { get; init; }
    /// <summary>Why the verdict was reached, in words.</summary>
    public string? Reason { get; init; }
}
