using System.Text.Json;
using System.Text.Json.Serialization;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// The one Raft command: make <see cref="To"/> primary of epoch <see cref="ExpectedEpoch"/> + 1, but only if the epoch is still
/// <see cref="ExpectedEpoch"/> when it is applied (a compare-and-set, so two racing proposals cannot both win).
/// </summary>
internal sealed record PrimaryCommand(
    [property: JsonPropertyName("expected_epoch")] long ExpectedEpoch,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("at")] long AtUnixMs)
{
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, PrimaryJsonContext.Default.PrimaryCommand);

    /// <summary>The command, or null when the bytes are not one (an entry from a newer build is skipped, not fatal).</summary>
    public static PrimaryCommand? Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, PrimaryJsonContext.Default.PrimaryCommand) is { To.Length: > 0 } command ? command : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
