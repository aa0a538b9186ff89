using System.Text.Json;
using System.Text.Json.Serialization;

namespace GhidraInsight.Regions.Failover;

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
