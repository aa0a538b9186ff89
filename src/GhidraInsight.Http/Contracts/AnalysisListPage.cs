namespace GhidraInsight.Http.Contracts;

/// <summary>
/// <c>GET /api/analyses?q=&amp;limit=&amp;after=</c>: analyses by id, only those <c>q</c> matches (by name, id prefix or format)
/// when given; <see cref="Next"/> is the next page's <c>after</c>.
/// </summary>
public sealed record AnalysisListPage(string Region, IReadOnlyList<AnalysisListItem> Items, string? Next);
