using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support.Kubernetes;

/// <summary>
/// A <c>configMapGenerator</c> entry: <c>name</c>, <c>behavior</c> create (the default) or merge, <c>literals</c>
/// (<c>KEY=VALUE</c>) and <c>files</c> (the key is the file's name). Merge adds to and overrides the data of the ConfigMap of
/// that name made so far, as kustomize does whatever namespace it was given; create refuses a second one.
/// </summary>
internal sealed partial class ConfigMapGenerator
{
    private static readonly string[] Fields = ["name", "behavior", "literals", "files"];

    private ConfigMapGenerator(string name, bool merge, IReadOnlyList<(string Key, string Value)> data)
    {
        Name = name;
        Merge = merge;
        Data = data;
    }

    public string Name { get; }

    public bool Merge { get; }

    public IReadOnlyList<(string Key, string Value)> Data { get; }

    public static ConfigMapGenerator Read(YamlMappingNode entry, string directory)
    {
        var where = $"{Path.Combine(directory, "kustomization.yaml")} line {entry.Start.Line}";
        foreach (var (key, _) in entry.Entries().Where(e => !Fields.Contains(e.Key)))
        {
            throw new NotSupportedException($"{where}: configMapGenerator field '{key}' is not implemented by the test renderer");
        }
        var behavior = entry.PlainScalar("behavior") ?? "create";
        if (behavior is not ("create" or "merge"))
        {
            throw new NotSupportedException($"{where}: behavior '{behavior}' is not implemented (create, merge)");
        }
        var literals = Scalars(entry, "literals").Select(literal => Literal(literal, where));
        var files = Scalars(entry, "files").Select(file => file.Contains('=', StringComparison.Ordinal)
            ? throw new NotSupportedException($"{where}: 'key=file' entries are not implemented")
            : (Path.GetFileName(file), File.ReadAllText(Path.Combine(directory, file))));
        return new ConfigMapGenerator(entry.PlainScalar("name")!, behavior == "merge", [.. literals, .. files]);
    }

    public void ApplyTo(List<YamlMappingNode> resources)
    {
        var existing = resources.Where(r => r.PlainScalar("kind") == "ConfigMap" && r.ChildMapping("metadata")!.PlainScalar("name") == Name).ToList();
        if (existing.Count != (Merge ? 1 : 0))
        {
            throw new InvalidOperationException(Merge ? $"configMapGenerator {Name}: merge needs exactly one ConfigMap {Name}, found {existing.Count}"
                : $"configMapGenerator {Name}: a ConfigMap {Name} exists already; use behavior: merge");
        }
        var configMap = Merge ? existing[0] : New(resources);
        if (configMap.ChildMapping("data") is not { } data)
        {
            data = [];
            configMap.Add("data", data);
        }
        foreach (var (key, value) in Data)
        {
            // Quoted, so that "true" or "3101" stay the strings a ConfigMap holds.
            data.Children[new YamlScalarNode(key)] = new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };
        }
    }

    private YamlMappingNode New(List<YamlMappingNode> resources)
    {
        var configMap = new YamlMappingNode { { "apiVersion", "v1" }, { "kind", "ConfigMap" }, { "metadata", new YamlMappingNode { { "name", Name } } } };
        resources.Add(configMap);
        return configMap;
    }

    private static IEnumerable<string> Scalars(YamlMappingNode entry, string key) =>
        entry.ChildSequence(key)?.Select(node => ((YamlScalarNode)node).Value!) ?? [];

    /// <summary><c>KEY=VALUE</c>, split at the first '='; a value in matching quotes loses them, as kustomize reads it.</summary>
    private static (string Key, string Value) Literal(string literal, string where)
    {
        var match = LiteralPattern().Match(literal);
        if (!match.Success)
        {
            throw new NotSupportedException($"{where}: literal '{literal}' is not KEY=VALUE");
        }
        var value = match.Groups["value"].Value;
        var quoted = value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0];
        return (match.Groups["key"].Value, quoted ? value[1..^1] : value);
    }

    [GeneratedRegex(@"^(?<key>[^=]+)=(?<value>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex LiteralPattern();
}
