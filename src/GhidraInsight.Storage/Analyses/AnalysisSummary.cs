namespace GhidraInsight.Storage;

/// <summary>One row of the analyses list. <see cref="Name"/> is the file name of the first upload that had one, or null.</summary>
public sealed record AnalysisSummary(string Id, string Format, string Arch, long Size, DateTimeOffset CreatedAt, string EngineVersion, string? Name = null);
