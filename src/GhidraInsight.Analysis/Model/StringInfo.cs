using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>A printable string found in the file.</summary>
public sealed record StringInfo
{
    public required string Value { get; init; }
    public long Offset { get; init; }
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong? Address { get; init; }
    /// <summary><c>ascii</c> or <c>utf-16le</c>.</summary>
    public required string Encoding { get; init; }
    public string? Section { get; init; }
}
