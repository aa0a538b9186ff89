using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>Small readers over YamlDotNet's representation model, which keeps CloudFormation's <c>!Ref</c>-style tags on the nodes.</summary>
internal static class YamlNodes
{
    /// <summary>Parses the single document of a repository file; a YAML syntax error fails the test with its line.</summary>
    public static YamlMappingNode LoadRoot(string relativePath)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(DeployFiles.ReadAllText(relativePath)))
        {
            stream.Load(reader);
        }
        var document = Assert.Single(stream.Documents);
        return Assert.IsType<YamlMappingNode>(document.RootNode);
    }

    /// <summary>The node's explicit tag (<c>!Ref</c>, <c>!GetAtt</c>, …) or null for an untagged node.</summary>
    public static string? TagOf(YamlNode node) => node.Tag.IsEmpty ? null : node.Tag.Value;

    public static YamlNode? Child(this YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode? ChildMapping(this YamlMappingNode mapping, string key) => mapping.Child(key) as YamlMappingNode;

    public static YamlSequenceNode? ChildSequence(this YamlMappingNode mapping, string key) => mapping.Child(key) as YamlSequenceNode;

    /// <summary>The value of an untagged scalar child, or null when the child is missing, tagged or not a scalar.</summary>
    public static string? PlainScalar(this YamlMappingNode mapping, string key) =>
        mapping.Child(key) is YamlScalarNode scalar && TagOf(scalar) is null ? scalar.Value : null;

    /// <summary>The mapping's entries with scalar keys, in file order.</summary>
    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlMappingNode mapping) =>
        mapping.Children.Select(entry => (((YamlScalarNode)entry.Key).Value ?? "", entry.Value));
}
