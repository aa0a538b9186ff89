using System.Globalization;
using System.Text;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Analysis.Model;

namespace GhidraInsight.Cli.Output;

/// <summary>The readable form of <c>analyze --function</c>.</summary>
internal static class FunctionText
{
    public static string Render(FunctionDetail detail)
    {
        var f = detail.Function;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{HexAddressConverter.Format(f.Address)} {f.Name ?? "(no name)"}  size {f.Size}, {f.InstructionCount} instructions, found by {f.Source}");
        text.AppendLine(CultureInfo.InvariantCulture, $"calls:   {List(f.Calls)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"callers: {List(detail.Callers)}");
        text.AppendLine();
        foreach (var i in detail.Instructions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {i.Address,16:x}:  {i.Bytes,-24} {i.Text}");
        }
        return text.ToString();
    }

    private static string List(IReadOnlyList<ulong> addresses) =>
        addresses.Count == 0 ? "none" : string.Join(' ', addresses.Select(HexAddressConverter.Format));
}
