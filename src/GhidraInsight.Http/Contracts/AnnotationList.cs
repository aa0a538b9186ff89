namespace GhidraInsight.Http.Contracts;

/// <summary>
/// <c>GET /api/analyses/{id}/annotations?limit=&amp;after=</c>: a page of annotations in address order; <see cref="Next"/> is
/// the <c>after</c> of the next page, null on the last.
/// </summary>
public sealed record AnnotationList(string AnalysisId, string Region, IReadOnlyList<AnnotationBody> Annotations, string? Next);
