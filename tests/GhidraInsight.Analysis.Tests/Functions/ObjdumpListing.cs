using System.Globalization;
using System.Text.RegularExpressions;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Functions;

/// <summary>GNU <c>objdump -d -w</c> output as address → (bytes, text): one line per instruction.</summary>
internal sealed partial class ObjdumpListing
{
    private ObjdumpListing(Dictionary<ulong, (string Bytes, string Text)> instructions, Dictionary<string, ulong> labels)
    {
        Instructions = instructions;
        Labels = labels;
    }

    public Dictionary<ulong, (string Bytes, string Text)> Instructions { get; }

    /// <summary>The symbols objdump heads blocks of the listing with (<c>0000000140001020 &lt;dispatch&gt;:</c>), by name.</summary>
    public Dictionary<string, ulong> Labels { get; }

    public static ObjdumpListing Of(string path)
    {
        var instructions = new Dictionary<ulong, (string, string)>();
        var listing = ExternalTool.Run("objdump", "-d", "-w", path);
        foreach (Match m in Line().Matches(listing))
        {
            var address = ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            instructions[address] = (m.Groups[2].Value.Replace(" ", "", StringComparison.Ordinal), m.Groups[3].Value.Trim());
        }
        var labels = new Dictionary<string, ulong>();
        foreach (Match m in Label().Matches(listing))
        {
            labels[m.Groups[2].Value] = ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return new ObjdumpListing(instructions, labels);
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

    [GeneratedRegex(@"^([0-9a-f]+) <([^>]+)>:$", RegexOptions.Multiline)]
    private static partial Regex Label();

    [GeneratedRegex(@"^call[lq]?\s+(?:0x)?([0-9a-f]+)(?:\s|$)")]
    private static partial Regex CallTarget();
}
