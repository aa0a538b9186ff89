namespace GhidraInsight.Analysis.Model;

/// <summary>One architecture slice of a universal Mach-O file.</summary>
public sealed record SliceAnalysis
{
    public required string Arch { get; init; }
    public long Offset { get; init; }
    public long Size { get; init; }
    public required AnalysisResult Analysis { get; init; }
}
