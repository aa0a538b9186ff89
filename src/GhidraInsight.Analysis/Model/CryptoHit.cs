using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>A known cryptographic constant found in the file.</summary>
public sealed record CryptoHit
{
    public required string Algorithm { get; init; }
    public required string Constant { get; init; }
    public long Offset { get; init; }
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong? Address { get; init; }
    public string? Section { get; init; }
    /// <summary><c>little</c> or <c>big</c> for word tables; null for byte tables.</summary>
    public string? Endian { get; init; }
}
