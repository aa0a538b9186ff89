namespace GhidraInsight.Http.Contracts;

/// <summary><c>GET /api/conflicts?limit=&amp;after=</c>: conflict records by id; <see cref="Next"/> is the next page's <c>after</c>.</summary>
public sealed record ConflictPage(IReadOnlyList<ConflictItem> Items, long? Next);
