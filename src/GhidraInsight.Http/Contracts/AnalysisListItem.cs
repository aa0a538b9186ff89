namespace GhidraInsight.Http.Contracts;

/// <summary>
/// One stored analysis in <c>GET /api/analyses</c>; <c>stale</c> when an older engine than the region's made it; <c>name</c> the
/// file name of the first upload that gave one, or null.
/// </summary>
public sealed record AnalysisListItem(string AnalysisId, string Format, string Arch, long Size, DateTimeOffset CreatedAt, string EngineVersion, bool Stale,
    string? Name = null);
