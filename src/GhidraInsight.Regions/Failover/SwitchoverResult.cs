using System.Text.Json.Serialization;

namespace GhidraInsight.Regions.Failover;

/// <summary>The answer to a switchover: outcome, a sentence for people, and the state afterwards.</summary>
public sealed record SwitchoverResult(
    [property: JsonPropertyName("outcome")] SwitchoverOutcome Outcome,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("primary")] string Primary,
    [property: JsonPropertyName("epoch")] long Epoch)
{
    /// <summary>Whether the requested region is primary now.</summary>
    public bool Succeeded => Outcome is SwitchoverOutcome.Done or SwitchoverOutcome.AlreadyPrimary;
}
