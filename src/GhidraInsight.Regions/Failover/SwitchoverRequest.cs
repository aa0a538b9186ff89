using System.Text.Json.Serialization;

namespace GhidraInsight.Regions.Failover;

/// <summary>Body of <c>POST /api/failover</c> and of its signed relay to the Raft leader.</summary>
public sealed record SwitchoverRequest(
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("reason")] string? Reason = null);
