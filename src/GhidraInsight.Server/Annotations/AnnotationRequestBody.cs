namespace GhidraInsight.Server.Annotations;

/// <summary>
/// The body of <c>PUT …/annotations/{address}</c>, for the OpenAPI document: <c>{"name","comment","tags"}</c>, all optional
/// (<see cref="AnnotationRequest"/> reads it strictly: unknown fields and wrong types are refused).
/// </summary>
internal sealed record AnnotationRequestBody(string? Name, string? Comment, IReadOnlyList<string>? Tags);
