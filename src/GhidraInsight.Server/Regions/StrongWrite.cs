namespace GhidraInsight.Server.Regions;

/// <summary>Endpoint metadata: a user-authored write that only the primary region accepts (annotations, deletions).</summary>
internal sealed record StrongWrite;
