namespace GhidraInsight.Storage;

/// <summary>One row of the analyses list.</summary>
public sealed record AnalysisSummary(string Id, string Format, string Arch, long Size, DateTimeOffset CreatedAt, string EngineVersion);
