using System.Globalization;
using System.Text.RegularExpressions;
using GhidraInsight.Analysis.Tests.Support;

namespace GhidraInsight.Analysis.Tests.Elf;

/// <summary>Parses what GNU readelf prints (-SW, -lW, -sW, -dW, frames) into comparable tuples.</summary>
internal static partial class ReadelfOutput
{
    public sealed record Section(int Index, string Name, string Type, ulong Address, long Offset, long Size, string Permissions);

    public sealed record Segment(string Type, long Offset, ulong Address, long FileSize, long MemorySize, string Permissions);

    public sealed record Symbol(string Table, string Name, ulong Value, long Size, string Type, string Binding, string Ndx);

    public static List<Section> Sections(string path)
    {
        var result = new List<Section>();
        foreach (var line in Lines(ExternalTool.Run("readelf", "-SW", path)))
        {
            var m = SectionLine().Match(line);
            if (!m.Success || m.Groups[1].Value == "0")
            {
                continue;
            }
            var t = m.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // name type address offset size es [flags] lk inf al
            var flags = t.Length == 10 ? t[6] : "";
            var alloc = flags.Contains('A');
            result.Add(new Section(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), t[0], t[1], Hex(t[2]), (long)Hex(t[3]), (long)Hex(t[4]),
                alloc ? $"r{(flags.Contains('W') ? 'w' : '-')}{(flags.Contains('X') ? 'x' : '-')}" : "---"));
        }
        return result;
    }

    public static List<Segment> Segments(string path)
    {
        var result = new List<Segment>();
        foreach (var line in Lines(ExternalTool.Run("readelf", "-lW", path)))
        {
            var m = SegmentLine().Match(line);
            if (m.Success)
            {
                var f = m.Groups[7].Value;
                result.Add(new Segment(m.Groups[1].Value, (long)Hex(m.Groups[2].Value), Hex(m.Groups[3].Value), (long)Hex(m.Groups[5].Value),
                    (long)Hex(m.Groups[6].Value), $"{(f.Contains('R') ? 'r' : '-')}{(f.Contains('W') ? 'w' : '-')}{(f.Contains('E') ? 'x' : '-')}"));
            }
        }
        return result;
    }

    /// <summary>Both tables from <c>readelf -sW --dyn-syms</c>, names without <c>@VERSION (n)</c>; the null entry 0 left out.</summary>
    public static List<Symbol> Symbols(string path)
    {
        var result = new List<Symbol>();
        var table = "";
        foreach (var line in Lines(ExternalTool.Run("readelf", "-sW", "--dyn-syms", path)))
        {
            var header = SymbolTableHeader().Match(line);
            if (header.Success)
            {
                table = header.Groups[1].Value == ".dynsym" ? "dynsym" : "symtab";
                continue;
            }
            var m = SymbolLine().Match(line);
            if (!m.Success || m.Groups[1].Value == "0")
            {
                continue;
            }
            var name = m.Groups[8].Value;
            var cut = name.IndexOfAny(['@', ' ']);
            name = cut > 0 ? name[..cut] : name;
            var size = m.Groups[3].Value;
            result.Add(new Symbol(table, name, Hex(m.Groups[2].Value),
                size.StartsWith("0x", StringComparison.Ordinal) ? (long)Hex(size[2..]) : long.Parse(size, CultureInfo.InvariantCulture),
                m.Groups[4].Value.ToLowerInvariant(), m.Groups[5].Value.ToLowerInvariant(), m.Groups[7].Value));
        }
        // readelf -s and --dyn-syms together print .dynsym twice.
        return [.. result.Distinct()];
    }

    public static List<string> Needed(string path) =>
        [.. Lines(ExternalTool.Run("readelf", "-dW", path)).Select(l => NeededLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    /// <summary>
    /// Library of each versioned undefined dynamic symbol: the <c>(n)</c> after its name in <c>--dyn-syms</c>
    /// and the <c>File:</c> that owns version n in <c>-V</c>.
    /// </summary>
    public static Dictionary<string, string> ImportLibraries(string path)
    {
        var files = new Dictionary<string, string>();
        var file = "";
        foreach (var line in Lines(ExternalTool.Run("readelf", "-VW", path)))
        {
            if (VersionFileLine().Match(line) is { Success: true } f)
            {
                file = f.Groups[1].Value;
            }
            else if (VersionAuxLine().Match(line) is { Success: true } a)
            {
                files[a.Groups[1].Value] = file;
            }
        }
        var result = new Dictionary<string, string>();
        foreach (var line in Lines(ExternalTool.Run("readelf", "-W", "--dyn-syms", path)))
        {
            if (VersionedUndefinedLine().Match(line) is { Success: true } m && files.TryGetValue(m.Groups[2].Value, out var owner))
            {
                result[m.Groups[1].Value] = owner;
            }
        }
        return result;
    }

    /// <summary>FDE ranges (start, end) from <c>readelf --debug-dump=frames</c>.</summary>
    public static List<(ulong Start, ulong End)> FdeRanges(string path) =>
        [.. Lines(ExternalTool.Run("readelf", "--debug-dump=frames", path)).Select(l => FdeLine().Match(l)).Where(m => m.Success)
            .Select(m => (Hex(m.Groups[1].Value), Hex(m.Groups[2].Value)))];

    /// <summary>Addresses and names of objdump's <c>&lt;name@plt&gt;</c> labels.</summary>
    public static Dictionary<ulong, string> PltLabels(string path) =>
        Lines(ExternalTool.Run("objdump", "-d", "--no-show-raw-insn", path)).Select(l => PltLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => Hex(m.Groups[1].Value), m => m.Groups[2].Value);

    public static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static string[] Lines(string text) => text.Split('\n');

    [GeneratedRegex(@"^\s*\[\s*(\d+)\]\s(.*)$")]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"^\s+(\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+([RWE ]+?)\s+(?:0x[0-9a-f]+|0)$")]
    private static partial Regex SegmentLine();

    [GeneratedRegex(@"^Symbol table '(\S+)'")]
    private static partial Regex SymbolTableHeader();

    [GeneratedRegex(@"^\s*(\d+):\s+([0-9a-f]+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$")]
    private static partial Regex SymbolLine();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[(.*)\]")]
    private static partial Regex NeededLine();

    [GeneratedRegex(@"^\s*\S+: Version: \d+\s+File: (\S+)")]
    private static partial Regex VersionFileLine();

    [GeneratedRegex(@"^\s*\S+:\s+Name: \S+\s+Flags: .*Version: (\d+)$")]
    private static partial Regex VersionAuxLine();

    [GeneratedRegex(@"\sUND ([^@\s]+)@\S+ \((\d+)\)$")]
    private static partial Regex VersionedUndefinedLine();

    [GeneratedRegex(@"FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)")]
    private static partial Regex FdeLine();

    [GeneratedRegex(@"^([0-9a-f]+) <(.+@plt)>:$")]
    private static partial Regex PltLine();
}
