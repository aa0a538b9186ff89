namespace GhidraInsight.Http.Problems;

/// <summary>Endpoint metadata: the problem <c>code</c>s an endpoint may answer with <paramref name="Status"/> (for the OpenAPI document).</summary>
public sealed record ProblemCodesMetadata(int Status, IReadOnlyList<string> Codes);
