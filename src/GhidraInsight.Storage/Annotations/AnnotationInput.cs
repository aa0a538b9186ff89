namespace GhidraInsight.Storage;

/// <summary>What a user writes at an address.</summary>
public sealed record AnnotationInput(string? Name, string? Comment, IReadOnlyList<string> Tags);
