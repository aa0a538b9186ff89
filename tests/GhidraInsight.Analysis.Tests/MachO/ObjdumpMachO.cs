using System.Globalization;

namespace GhidraInsight.Analysis.Tests.MachO;

/// <summary>Reads <c>llvm-objdump --macho --private-headers</c> output: one key/value map per load command and section.</summary>
internal sealed class ObjdumpMachO
{
    public List<Dictionary<string, string>> Commands { get; } = [];
    public List<Dictionary<string, string>> Sections { get; } = [];
    public string HeaderFlags { get; private set; } = "";

    public static ObjdumpMachO PrivateHeaders(string path, string? arch = null)
    {
        var text = ExternalTool.Run("llvm-objdump", ["--macho", "--private-headers", .. MachOSamples.ArchArgs(arch), path]);
        var result = new ObjdumpMachO();
        Dictionary<string, string>? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("magic ", StringComparison.Ordinal) && i + 1 < lines.Length)
            {
                result.HeaderFlags = lines[i + 1];
            }
            else if (line.StartsWith("Load command", StringComparison.Ordinal))
            {
                current = [];
                result.Commands.Add(current);
            }
            else if (line == "Section" && current is not null)
            {
                current = [];
                result.Sections.Add(current);
            }
            else if (current is not null && line.Length > 0)
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var key = space < 0 ? line : line[..space];
                current.TryAdd(key, space < 0 ? "" : line[(space + 1)..].Trim());
            }
        }
        return result;
    }

    public IEnumerable<Dictionary<string, string>> CommandsOf(string name) => Commands.Where(c => c.GetValueOrDefault("cmd") == name);

    /// <summary>Parses <c>0x…</c> hex or a decimal number.</summary>
    public static ulong Number(string value)
    {
        var token = value.Split(' ')[0];
        return token.StartsWith("0x", StringComparison.Ordinal)
            ? ulong.Parse(token.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(token, CultureInfo.InvariantCulture);
    }

    /// <summary>Slice offset and size per architecture from <c>--universal-headers</c>.</summary>
    public static Dictionary<string, (long Offset, long Size)> UniversalSlices(string path)
    {
        var text = ExternalTool.Run("llvm-objdump", "--macho", "--universal-headers", path);
        var slices = new Dictionary<string, (long Offset, long Size)>();
        string? arch = null;
        long offset = 0;
        foreach (var raw in text.Split('\n'))
        {
            var parts = raw.Trim().Split(' ', 2);
            switch (parts[0])
            {
                case "architecture": arch = parts[1].Trim(); break;
                case "offset": offset = (long)Number(parts[1]); break;
                case "size" when arch is not null: slices[arch] = (offset, (long)Number(parts[1])); break;
                default: break;
            }
        }
        return slices;
    }
}
