using System.Text.Json.Serialization;
using GhidraInsight.Analysis.Json;

namespace GhidraInsight.Analysis.Model;

/// <summary>A discovered function.</summary>
public sealed record FunctionInfo
{
    [JsonConverter(typeof(HexAddressConverter))]
    public ulong Address { get; init; }
    public string? Name { get; init; }
    /// <summary>The binary's own name when a user's annotation renamed the function (set by the server when it serves one; absent otherwise).</summary>
    public string? OriginalName { get; init; }
    public long Size { get; init; }
    public int InstructionCount { get; init; }
    /// <summary>Where the start came from: <c>symbol</c>, <c>entry</c>, <c>eh_frame</c>, <c>pdata</c>, <c>function_starts</c>, <c>call</c>.</summary>
    public required string Source { get; init; }
    [JsonConverter(typeof(HexAddressListConverter))]
    public IReadOnlyList<ulong> Calls { get; init; } = [];
}
