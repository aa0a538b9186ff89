using System.Text.RegularExpressions;

namespace GhidraInsight.Deploy.Tests.Support.Docker;

/// <summary>
/// A Dockerfile parsed by the rules of Dockerfile syntax that ours use: comments (parser directives among them), lines
/// continued with a backslash, instructions in any case. An instruction Docker does not know fails the parse, and so does
/// anything but ARG before the first FROM.
/// </summary>
internal sealed partial class Dockerfile
{
    private static readonly HashSet<string> Keywords = new(
        ["FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"],
        StringComparer.Ordinal);

    private Dockerfile(IReadOnlyList<DockerStage> stages) => Stages = stages;

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    /// <summary>Parses a file of the repository (or, given an absolute path, any file).</summary>
    public static Dockerfile Load(string relativePath)
    {
        var text = File.ReadAllText(Path.IsPathRooted(relativePath) ? relativePath : DeployFiles.FullPath(relativePath));
        var stages = new List<(string Image, string? Name, List<DockerInstruction> Instructions)>();
        foreach (var instruction in Instructions(text, relativePath))
        {
            if (instruction.Keyword == "FROM")
            {
                var from = FromPattern().Match(instruction.Arguments);
                if (!from.Success)
                {
                    throw new FormatException($"{relativePath} line {instruction.Line}: FROM [--platform=P] IMAGE [AS NAME], not '{instruction.Arguments}'");
                }
                stages.Add((from.Groups["image"].Value, from.Groups["name"].Success ? from.Groups["name"].Value : null, []));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add(instruction);
            }
            else if (instruction.Keyword != "ARG")
            {
                throw new FormatException($"{relativePath} line {instruction.Line}: only ARG may come before the first FROM, not {instruction.Keyword}");
            }
        }
        return stages.Count > 0
            ? new Dockerfile([.. stages.Select(s => new DockerStage(s.Image, s.Name, s.Instructions))])
            : throw new FormatException($"{relativePath}: no FROM");
    }

    private static IEnumerable<DockerInstruction> Instructions(string text, string file)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var start = i + 1;
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                var next = lines[++i].Trim();
                line = line[..^1] + (next.StartsWith('#') ? "\\" : " " + next);
            }
            var keyword = line.Split(' ', 2)[0];
            if (!Keywords.Contains(keyword.ToUpperInvariant()))
            {
                throw new FormatException($"{file} line {start}: '{keyword}' is not a Dockerfile instruction");
            }
            yield return new DockerInstruction(keyword.ToUpperInvariant(), line.Length > keyword.Length ? line[(keyword.Length + 1)..].Trim() : "", start);
        }
    }

    [GeneratedRegex(@"^(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+[Aa][Ss]\s+(?<name>[a-z][a-z0-9_.-]*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex FromPattern();
}
