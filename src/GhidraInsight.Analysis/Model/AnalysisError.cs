namespace GhidraInsight.Analysis.Model;

/// <summary>Something that could not be parsed: where, and what.</summary>
public sealed record AnalysisError
{
    /// <summary>Stable code such as <c>truncated</c>, <c>out_of_bounds</c>, <c>unsupported</c>, <c>limit</c>.</summary>
    public required string Code { get; init; }
    public required string Message { get; init; }
    public long? Offset { get; init; }
}
