using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>A CloudFormation YAML template from the repository: its sections, resources, the references it makes and what a value resolves to.</summary>
internal sealed class CloudFormationTemplate
{
    private CloudFormationTemplate(string file, YamlMappingNode root)
    {
        File = file;
        Root = root;
        Parameters = Section(root, "Parameters").ToDictionary(entry => entry.Key, entry => entry.Value as YamlMappingNode ?? new YamlMappingNode(), StringComparer.Ordinal);
        Outputs = Section(root, "Outputs").ToDictionary(entry => entry.Key, entry => entry.Value as YamlMappingNode ?? new YamlMappingNode(), StringComparer.Ordinal);
        Conditions = Section(root, "Conditions").Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal);
        Resources = Section(root, "Resources").ToDictionary(entry => entry.Key, entry => ToResource(entry.Key, entry.Value), StringComparer.Ordinal);
    }

    public string File { get; }

    public YamlMappingNode Root { get; }

    public IReadOnlyDictionary<string, YamlMappingNode> Parameters { get; }

    public IReadOnlyDictionary<string, CloudFormationResource> Resources { get; }

    public IReadOnlyDictionary<string, YamlMappingNode> Outputs { get; }

    public IReadOnlySet<string> Conditions { get; }

    public static CloudFormationTemplate Load(string relativePath) => new(relativePath, YamlNodes.LoadRoot(relativePath));

    public IReadOnlyList<CloudFormationResource> OfType(string type) => Resources.Values.Where(resource => resource.Type == type).ToList();

    /// <summary>References in the parts of the template that may hold them: conditions, resources and outputs.</summary>
    public IEnumerable<CloudFormationReference> References() =>
        new[] { "Conditions", "Resources", "Outputs" }
            .Where(section => Root.Child(section) is not null)
            .SelectMany(section => CloudFormationReferences.In(Root.Child(section)!, section));

    /// <summary>Why <paramref name="reference"/> does not resolve in this template, or null when it does.</summary>
    public string? Unresolved(CloudFormationReference reference)
    {
        switch (reference.Kind)
        {
            case CloudFormationReference.Condition:
                return Conditions.Contains(reference.Name) ? null : $"{reference}: no such condition";
            case CloudFormationReference.GetAtt:
                if (!Resources.TryGetValue(reference.Name, out var resource))
                {
                    return $"{reference}: no such resource";
                }
                if (CloudFormationTypes.ByName.TryGetValue(resource.Type, out var type) && !type.Attributes.Contains(reference.Attribute ?? ""))
                {
                    return $"{reference}: {resource.Type} has no such attribute (it has {string.Join(", ", type.Attributes.Order(StringComparer.Ordinal))})";
                }
                return null;
            default:
                return Parameters.ContainsKey(reference.Name) || Resources.ContainsKey(reference.Name) || CloudFormationTypes.PseudoParameters.Contains(reference.Name)
                    ? null
                    : $"{reference}: no parameter, resource or pseudo parameter has that name";
        }
    }

    /// <summary>The name a <c>!Ref X</c> or <c>Ref: X</c> node points at, or null for any other node.</summary>
    public static string? RefTarget(YamlNode? node) => node switch
    {
        YamlScalarNode scalar when YamlNodes.TagOf(scalar) == "!Ref" => scalar.Value,
        YamlMappingNode mapping when mapping.Children.Count == 1 && mapping.Child("Ref") is YamlScalarNode target => target.Value,
        _ => null,
    };

    /// <summary>A plain value as written, or the default of the parameter a <c>Ref</c> names; null for anything computed at deploy time.</summary>
    public string? Resolve(YamlNode? node)
    {
        if (node is YamlScalarNode scalar && YamlNodes.TagOf(scalar) is null)
        {
            return scalar.Value;
        }
        return RefTarget(node) is { } name && Parameters.TryGetValue(name, out var parameter) ? parameter.PlainScalar("Default") : null;
    }

    /// <summary><see cref="Resolve"/> as a whole number; anything else fails the test with the node's position.</summary>
    public int ResolveNumber(YamlNode? node) =>
        int.TryParse(Resolve(node), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InvalidOperationException($"{File}: the value at {node?.Start.ToString() ?? "(missing)"} does not resolve to a number");

    private static IEnumerable<(string Key, YamlNode Value)> Section(YamlMappingNode root, string name) =>
        root.ChildMapping(name)?.Entries() ?? [];

    private static CloudFormationResource ToResource(string logicalId, YamlNode node)
    {
        var mapping = node as YamlMappingNode ?? new YamlMappingNode();
        var properties = mapping.ChildMapping("Properties");
        return new CloudFormationResource(logicalId, mapping.PlainScalar("Type") ?? "", properties is not null, properties ?? new YamlMappingNode());
    }
}
