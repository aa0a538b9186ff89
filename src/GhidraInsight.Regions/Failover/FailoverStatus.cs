using System.Text.Json;
using System.Text.Json.Serialization;

namespace GhidraInsight.Regions.Failover;

/// <summary>The signed internal API of failover.</summary>
public static class FailoverPaths
{
    /// <summary><c>GET</c>: a region's <see cref="FailoverStatus"/>.</summary>
    public const string Status = "/api/internal/failover/status";

    /// <summary><c>POST</c> a <see cref="SwitchoverRequest"/>: a switchover relayed to the Raft leader.</summary>
    public const string Switchover = "/api/internal/failover";
}

/// <summary>
/// What one region tells the others during a failover (<c>GET /api/internal/failover/status</c>, signed): its view of the
/// primary, whether it accepts strong writes, how far its own outbox goes, and how much of each other region's it applied.
/// </summary>
public sealed record FailoverStatus(
    [property: JsonPropertyName("region")] string Region,
    [property: JsonPropertyName("primary")] string Primary,
    [property: JsonPropertyName("epoch")] long Epoch,
    [property: JsonPropertyName("accepting_strong_writes")] bool AcceptingStrongWrites,
    [property: JsonPropertyName("outbox_head")] long OutboxHead,
    [property: JsonPropertyName("high_water")] IReadOnlyDictionary<string, long> HighWater)
{
    /// <summary>How much of <paramref name="origin"/>'s outbox this region applied (0 when nothing).</summary>
    public long AppliedFrom(string origin) => HighWater.TryGetValue(origin, out var mark) ? mark : 0;

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, FailoverJsonContext.Default.FailoverStatus);
}

/// <summary>Body of <c>POST /api/failover</c> and of its signed relay to the Raft leader.</summary>
public sealed record SwitchoverRequest(
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("reason")] string? Reason = null);

/// <summary>How a switchover ended.</summary>
public enum SwitchoverOutcome
{
    /// <summary>The target is primary and accepts strong writes.</summary>
    Done,

    /// <summary>The target already was the primary; nothing changed.</summary>
    AlreadyPrimary,

    /// <summary>The target is not one of <c>regions</c> (a witness cannot be primary).</summary>
    UnknownRegion,

    /// <summary>No Raft leader is known (no majority of regions is reachable); nothing changed.</summary>
    NoLeader,

    /// <summary>The target did not answer; nothing changed.</summary>
    TargetUnreachable,

    /// <summary>The target did not catch up (nothing changed) or did not start accepting writes in time.</summary>
    TimedOut,

    /// <summary>Another change of primary won the race; the state says who is primary now.</summary>
    Superseded,
}

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

[JsonSerializable(typeof(FailoverStatus))]
[JsonSerializable(typeof(SwitchoverRequest))]
[JsonSerializable(typeof(SwitchoverResult))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
public sealed partial class FailoverJsonContext : JsonSerializerContext;
