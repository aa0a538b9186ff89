using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>File-level facts: format, architecture, entry point and hashes.</summary>
public sealed record BinaryInfo
{
    /// <summary><c>elf</c>, <c>pe</c>, <c>macho</c> or <c>unknown</c>.</summary>
    public required string Format { get; init; }
    /// <summary>Detail of the format, such as <c>ELF64</c>, <c>PE32+</c>, <c>Mach-O 64</c> or <c>Mach-O universal</c>.</summary>
    public string? Kind { get; init; }
    /// <summary><c>x86</c>, <c>x86_64</c>, <c>arm</c>, <c>arm64</c>, … or <c>unknown</c>.</summary>
    public required string Arch { get; init; }
    public int Bits { get; init; }
    /// <summary><c>little</c> or <c>big</c>.</summary>
    public required string Endian { get; init; }
    /// <summary>Type of file: <c>executable</c>, <c>shared</c>, <c>relocatable</c>, <c>dll</c>, …</summary>
    public string? FileType { get; init; }
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong? EntryPoint { get; init; }
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong? ImageBase { get; init; }
    public long Size { get; init; }
    public required string Md5 { get; init; }
    public required string Sha1 { get; init; }
    public required string Sha256 { get; init; }
}
