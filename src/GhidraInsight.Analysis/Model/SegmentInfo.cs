using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>A loadable unit: ELF program header or Mach-O segment command.</summary>
public sealed record SegmentInfo
{
    /// <summary>ELF: the p_type (<c>LOAD</c>, <c>DYNAMIC</c>, <c>GNU_STACK</c>, …); Mach-O: the segment name.</summary>
    public required string Type { get; init; }
    public long Offset { get; init; }
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong Address { get; init; }
    public long FileSize { get; init; }
    public long MemorySize { get; init; }
    public required string Permissions { get; init; }
}
