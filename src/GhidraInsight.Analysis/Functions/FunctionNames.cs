using GhidraInsight.Analysis.Formats;

namespace GhidraInsight.Analysis.Functions;

/// <summary>Address → best name, from defined symbols and stub names (PLT entries, import slots).</summary>
internal static class FunctionNames
{
    public static Dictionary<ulong, string> Build(BinaryImage image)
    {
        var names = new Dictionary<ulong, string>(image.StubNames);
        foreach (var symbol in image.Symbols)
        {
            if (symbol.Address == 0 || symbol.Section == "UND" || symbol.Type is "section" or "file" || symbol.Name.Length == 0)
            {
                continue;
            }
            // Functions win over other symbols at the same address; otherwise the first one seen.
            if (!names.ContainsKey(symbol.Address) || symbol.Type == "func")
            {
                names[symbol.Address] = symbol.Name;
            }
        }
        return names;
    }
}
