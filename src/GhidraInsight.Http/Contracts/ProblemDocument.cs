using System.Text.Json.Serialization;

namespace GhidraInsight.Http.Contracts;

/// <summary>
/// Every error answer: an RFC 9457 problem document (<c>application/problem+json</c>) with a stable <see cref="Code"/> from
/// <c>ProblemCodes</c> that clients may switch on. Never a stack trace.
/// </summary>
public sealed record ProblemDocument(
    string Type,
    string Title,
    int Status,
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Instance = null);
