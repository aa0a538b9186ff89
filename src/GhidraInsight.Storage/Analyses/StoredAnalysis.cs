namespace GhidraInsight.Storage;

/// <summary>A stored analysis. <see cref="Name"/> is the file name of the first upload that had one, or null.</summary>
public sealed record StoredAnalysis(string Id, string EngineVersion, string Format, string Arch, long Size, DateTimeOffset CreatedAt, string ResultJson, bool HasBinary,
    string? Name = null);
