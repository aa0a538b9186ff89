using System.Globalization;
using System.Text.RegularExpressions;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>GNU <c>objdump -d -w</c> output as address → (bytes, text): one line per instruction.</summary>
internal sealed partial class ObjdumpListing
{
    private ObjdumpListing(Dictionary<ulong, (string Bytes, string Text)> instructions) => Instructions = instructions;

    public Dictionary<ulong, (string Bytes, string Text)> Instructions { get; }

    public static ObjdumpListing Of(string path)
    {
        var instructions = new Dictionary<ulong, (string, string)>();
        foreach (Match m in Line().Matches(ExternalTool.Run("objdump", "-d", "-w", path)))
        {
            var address = ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            instructions[address] = (m.Groups[2].Value.Replace(" ", "", StringComparison.Ordinal), m.Groups[3].Value.Trim());
        }
        return new ObjdumpListing(instructions);
    }

    /// <summary>Direct call targets objdump shows for instructions in [start, end).</summary>
    public SortedSet<ulong> DirectCalls(ulong start, ulong end) =>
    [
        .. Instructions.Where(i => i.Key >= start && i.Key < end)
            .Select(i => CallTarget().Match(i.Value.Text))
            .Where(m => m.Success)
            .Select(m => ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
    ];

    [GeneratedRegex(@"^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$", RegexOptions.Multiline)]
    private static partial Regex Line();

    [GeneratedRegex(@"^call[lq]?\s+(?:0x)?([0-9a-f]+)(?:\s|$)")]
    private static partial Regex CallTarget();
}
