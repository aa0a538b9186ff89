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
    /// <summary>
    /// Where the start came from: <c>symbol</c>, <c>export</c>, <c>entry</c>, <c>eh_frame</c>, <c>pdata</c>, <c>function_starts</c>,
    /// <c>call</c>, <c>pointer</c>, <c>gap</c>.
    /// </summary>
    public required string Source { get; init; }
    /// <summary>
    /// How likely the start is a real function start, 0 to 1: for each source (and, for <c>gap</c>, each shape of start), the share
    /// of true starts it gave over the function corpus (<c>bench -- functions</c> prints them).
    /// </summary>
    public double Confidence { get; init; } = 1;
    [JsonConverter(typeof(HexAddressListConverter))]
    public IReadOnlyList<ulong> Calls { get; init; } = [];
}
