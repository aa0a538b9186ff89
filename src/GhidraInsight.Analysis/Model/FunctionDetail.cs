using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>One function with its disassembly and both directions of the call graph.</summary>
public sealed record FunctionDetail
{
    public required FunctionInfo Function { get; init; }
    [JsonConverter(typeof(HexAddressListConverter))]
    public IReadOnlyList<ulong> Callers { get; init; } = [];
    public IReadOnlyList<Instruction> Instructions { get; init; } = [];
}

/// <summary>One decoded instruction.</summary>
public sealed record Instruction
{
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong Address { get; init; }
    /// <summary>Instruction bytes as lowercase hex.</summary>
    public required string Bytes { get; init; }
    public required string Mnemonic { get; init; }
    /// <summary>Full text in Intel syntax.</summary>
    public required string Text { get; init; }
}
