using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support.Kubernetes;

/// <summary>
/// A <c>patches</c> entry of JSON 6902 operations (<c>add</c>, <c>replace</c>, <c>remove</c>) written inline under
/// <c>patch</c> (a YAML list, or JSON), applied to the resources whose kind and name match <c>target</c>. A patch that matches nothing fails
/// (kustomize would ignore it, hiding a misspelt target).
/// </summary>
internal sealed class JsonPatch
{
    private static readonly string[] Fields = ["target", "patch"];
    private static readonly string[] TargetFields = ["kind", "name"];
    private static readonly string[] OperationFields = ["op", "path", "value"];

    private readonly string _where;
    private readonly string _kind;
    private readonly string _name;
    private readonly string _operations;

    private JsonPatch(string where, string kind, string name, string operations)
    {
        _where = where;
        _kind = kind;
        _name = name;
        _operations = operations;
    }

    public static JsonPatch Read(YamlMappingNode entry, string file)
    {
        var where = $"{file} line {entry.Start.Line}";
        var target = entry.ChildMapping("target");
        var unknown = entry.Entries().Select(e => e.Key).Where(key => !Fields.Contains(key))
            .Concat(target?.Entries().Select(e => "target." + e.Key).Where(key => !TargetFields.Contains(key[7..])) ?? []).ToList();
        if (unknown.Count > 0 || target is null || entry.PlainScalar("patch") is null)
        {
            throw new NotSupportedException($"{where}: only patches with target {{kind, name}} and inline JSON 6902 'patch' are implemented ({string.Join(", ", unknown)})");
        }
        return new JsonPatch(where, target.PlainScalar("kind")!, target.PlainScalar("name")!, entry.PlainScalar("patch")!);
    }

    public void ApplyTo(List<YamlMappingNode> resources)
    {
        var targets = resources.Where(r => r.PlainScalar("kind") == _kind && r.ChildMapping("metadata")?.PlainScalar("name") == _name).ToList();
        if (targets.Count == 0)
        {
            throw new InvalidOperationException($"{_where}: the patch's target {_kind}/{_name} matches no resource");
        }
        foreach (var resource in targets)
        {
            // Parsed again for each target, so no two resources share the nodes of a value.
            foreach (var operation in Operations())
            {
                Apply(resource, operation);
            }
        }
    }

    private IEnumerable<YamlMappingNode> Operations()
    {
        if (_operations.TrimStart().StartsWith('['))
        {
            // kustomize reads such a patch as JSON, and refuses YAML's flow style ([{op: add}]) there.
            using var json = System.Text.Json.JsonDocument.Parse(_operations);
        }
        var stream = new YamlStream();
        stream.Load(new StringReader(_operations));
        foreach (var node in Kustomization.Require<YamlSequenceNode>(stream.Documents.Single().RootNode, _where))
        {
            var operation = Kustomization.Require<YamlMappingNode>(node, _where);
            if (operation.Entries().Any(e => !OperationFields.Contains(e.Key)) || operation.PlainScalar("op") is not ("add" or "replace" or "remove"))
            {
                throw new NotSupportedException($"{_where}: only add, replace and remove with path and value are implemented");
            }
            yield return operation;
        }
    }

    private void Apply(YamlMappingNode resource, YamlMappingNode operation)
    {
        var op = operation.PlainScalar("op")!;
        var tokens = operation.PlainScalar("path")!.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        YamlNode parent = resource;
        foreach (var token in tokens.SkipLast(1))
        {
            parent = Child(parent, token) ?? throw new InvalidOperationException($"{_where}: {operation.PlainScalar("path")} does not exist in {_kind}/{_name}");
        }
        var last = tokens[^1];
        var value = operation.Child("value");
        switch (parent)
        {
            case YamlMappingNode mapping when op == "add" || mapping.Children.ContainsKey(new YamlScalarNode(last)):
                if (op == "remove")
                {
                    mapping.Children.Remove(new YamlScalarNode(last));
                }
                else
                {
                    mapping.Children[new YamlScalarNode(last)] = value!;
                }
                break;
            case YamlSequenceNode sequence when op == "add" && last == "-":
                sequence.Children.Add(value!);
                break;
            case YamlSequenceNode sequence when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < sequence.Children.Count + (op == "add" ? 1 : 0):
                if (op != "add")
                {
                    sequence.Children.RemoveAt(index);
                }
                if (op != "remove")
                {
                    sequence.Children.Insert(index, value!);
                }
                break;
            default:
                throw new InvalidOperationException($"{_where}: cannot {op} {operation.PlainScalar("path")} in {_kind}/{_name}");
        }
    }

    private static YamlNode? Child(YamlNode node, string token) => node switch
    {
        YamlMappingNode mapping => mapping.Child(token),
        YamlSequenceNode sequence when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < sequence.Children.Count => sequence.Children[i],
        _ => null,
    };
}
