using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>A risky API the binary imports or defines.</summary>
public sealed record Finding
{
    /// <summary>Category such as <c>buffer_overflow</c>, <c>command_injection</c>.</summary>
    public required string Type { get; init; }
    /// <summary><c>low</c>, <c>medium</c>, <c>high</c>, <c>critical</c>.</summary>
    public required string Severity { get; init; }
    public required string Cwe { get; init; }
    public required string Symbol { get; init; }
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong? Address { get; init; }
    public required string Recommendation { get; init; }
}
