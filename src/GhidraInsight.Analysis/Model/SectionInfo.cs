using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>One section (ELF/PE) or Mach-O section; <see cref="Segment"/> names its Mach-O segment.</summary>
public sealed record SectionInfo
{
    public required string Name { get; init; }
    public string? Segment { get; init; }
    public string? Type { get; init; }
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong Address { get; init; }
    /// <summary>File offset of the section's bytes.</summary>
    public long Offset { get; init; }
    /// <summary>Size in memory (ELF sh_size, PE VirtualSize, Mach-O size).</summary>
    public long Size { get; init; }
    /// <summary>Bytes present in the file (0 for NOBITS/zero-fill).</summary>
    public long FileSize { get; init; }
    /// <summary><c>rwx</c> letters, <c>-</c> for absent ones.</summary>
    public required string Permissions { get; init; }
    /// <summary>Shannon entropy (bits per byte) of the section's file bytes; null when it has none.</summary>
    public double? Entropy { get; init; }
}
