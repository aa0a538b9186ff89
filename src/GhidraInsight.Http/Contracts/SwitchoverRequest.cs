namespace GhidraInsight.Http.Contracts;

/// <summary>Body of <c>POST /api/failover</c> and of its signed relay to the Raft leader.</summary>
public sealed record SwitchoverRequest(
    string? To,
    string? Reason = null);
