namespace GhidraInsight.Http.Contracts;

/// <summary>One stored analysis in <c>GET /api/analyses</c>.</summary>
public sealed record AnalysisListItem(string AnalysisId, string Format, string Arch, long Size, DateTimeOffset CreatedAt);
