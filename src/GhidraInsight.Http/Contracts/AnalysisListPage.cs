namespace GhidraInsight.Http.Contracts;

/// <summary><c>GET /api/analyses?limit=&amp;after=</c>: analyses by id; <see cref="Next"/> is the next page's <c>after</c>.</summary>
public sealed record AnalysisListPage(string Region, IReadOnlyList<AnalysisListItem> Items, string? Next);
