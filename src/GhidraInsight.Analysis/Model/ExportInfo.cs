using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>An exported symbol.</summary>
public sealed record ExportInfo
{
    public required string Name { get; init; }
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong Address { get; init; }
    public int? Ordinal { get; init; }
    /// <summary>PE forwarder target such as <c>NTDLL.RtlAllocateHeap</c>.</summary>
    public string? Forwarder { get; init; }
}
