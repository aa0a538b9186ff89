using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>A named symbol from a symbol table.</summary>
public sealed record SymbolInfo
{
    public required string Name { get; init; }
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong Address { get; init; }
    public long Size { get; init; }
    /// <summary><c>func</c>, <c>object</c>, <c>section</c>, <c>file</c>, <c>notype</c>, …</summary>
    public string? Type { get; init; }
    /// <summary><c>local</c>, <c>global</c>, <c>weak</c>.</summary>
    public string? Binding { get; init; }
    /// <summary>Section name, or <c>UND</c> for undefined symbols.</summary>
    public string? Section { get; init; }
    /// <summary>Table it came from: <c>symtab</c>, <c>dynsym</c>, <c>export</c>, <c>macho_symtab</c>.</summary>
    public required string Source { get; init; }
}
