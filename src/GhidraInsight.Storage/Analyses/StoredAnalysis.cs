namespace GhidraInsight.Storage;

/// <summary>A stored analysis.</summary>
public sealed record StoredAnalysis(string Id, string EngineVersion, string Format, string Arch, long Size, DateTimeOffset CreatedAt, string ResultJson, bool HasBinary);
