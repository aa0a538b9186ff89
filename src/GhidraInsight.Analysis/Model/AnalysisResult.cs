namespace GhidraInsight.Analysis.Model;

/// <summary>
/// The complete analysis of one binary: a deterministic function of its bytes and the engine version.
/// </summary>
public sealed record AnalysisResult
{
    /// <summary>Lowercase hex SHA-256 of the analysed bytes.</summary>
    public required string AnalysisId { get; init; }
    public required string EngineVersion { get; init; }
    public required BinaryInfo Binary { get; init; }
    public IReadOnlyList<SectionInfo> Sections { get; init; } = [];
    public IReadOnlyList<SegmentInfo> Segments { get; init; } = [];
    public IReadOnlyList<SymbolInfo> Symbols { get; init; } = [];
    public IReadOnlyList<ImportInfo> Imports { get; init; } = [];
    public IReadOnlyList<ExportInfo> Exports { get; init; } = [];
    public IReadOnlyList<StringInfo> Strings { get; init; } = [];
    public required EntropyInfo Entropy { get; init; }
    public IReadOnlyList<CryptoHit> Crypto { get; init; } = [];
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    public required Mitigations Mitigations { get; init; }
    public IReadOnlyList<FunctionInfo> Functions { get; init; } = [];
    /// <summary>For universal (fat) Mach-O files: the analysis of every slice. Empty otherwise.</summary>
    public IReadOnlyList<SliceAnalysis> Slices { get; init; } = [];
    /// <summary>What could not be parsed, with offsets. Partial results beat no results.</summary>
    public IReadOnlyList<AnalysisError> Errors { get; init; } = [];
}
