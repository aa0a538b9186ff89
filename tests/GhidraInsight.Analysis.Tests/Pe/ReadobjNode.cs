using System.Globalization;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Pe;

/// <summary>
/// llvm-readobj's indented text output as a tree: <c>Key {</c> / <c>Key [</c> open a child, <c>Key: value</c>
/// lines are fields, bare lines inside a flag list (<c>IMAGE_SCN_MEM_READ (0x40000000)</c>) are fields with an empty value.
/// </summary>
internal sealed class ReadobjNode(string name, string header)
{
    public string Name { get; } = name;
    /// <summary>Text after the opening bracket, e.g. <c>(0x60000020)</c> for a flag list.</summary>
    public string Header { get; } = header;
    public List<KeyValuePair<string, string>> Fields { get; } = [];
    public List<ReadobjNode> Children { get; } = [];

    public static ReadobjNode Run(string file, params string[] options) =>
        Parse(ExternalTool.Run("llvm-readobj", [.. options, file]));

    public static ReadobjNode Parse(string text)
    {
        var root = new ReadobjNode("", "");
        var stack = new Stack<ReadobjNode>();
        stack.Push(root);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line is "}" or "]")
            {
                if (stack.Count > 1)
                {
                    stack.Pop();
                }
                continue;
            }
            var brace = line.IndexOfAny(['{', '[']);
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (brace > 0 && (colon < 0 || colon > brace) && line[brace - 1] == ' ')
            {
                var child = new ReadobjNode(line[..(brace - 1)].Trim(), line[(brace + 1)..].Trim());
                stack.Peek().Children.Add(child);
                stack.Push(child);
                continue;
            }
            stack.Peek().Fields.Add(colon > 0
                ? new(line[..colon].Trim(), line[(colon + 1)..].Trim())
                : new(line, ""));
        }
        return root;
    }

    public string? Field(string key) => Fields.FirstOrDefault(f => f.Key == key).Value;

    public IEnumerable<string> All(string key) => Fields.Where(f => f.Key == key).Select(f => f.Value);

    public bool HasFlag(string flag) => Fields.Any(f => f.Key.StartsWith(flag + " ", StringComparison.Ordinal));

    public ReadobjNode? Child(string name) => Children.FirstOrDefault(c => c.Name == name);

    public IEnumerable<ReadobjNode> Descendants(string name) =>
        Children.SelectMany(c => c.Name == name ? [c] : c.Descendants(name));

    /// <summary>Numbers as llvm-readobj prints them: <c>0x1A2B</c>, <c>5120</c>, or a hex value in parentheses at the end.</summary>
    public static ulong Number(string text)
    {
        var s = text.Trim();
        var open = s.LastIndexOf('(');
        if (open >= 0 && s.EndsWith(')'))
        {
            s = s[(open + 1)..^1];
        }
        return s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(s, CultureInfo.InvariantCulture);
    }
}
