using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>A Deployment Manager YAML config from the repository: its resources and every <c>$(ref.NAME.FIELD)</c> it makes.</summary>
internal sealed partial class DeploymentManagerConfig
{
    private DeploymentManagerConfig(YamlMappingNode root)
    {
        Root = root;
        Resources = (root.ChildSequence("resources")?.Children ?? []).Select(ToResource).ToList();
    }

    public YamlMappingNode Root { get; }

    public IReadOnlyList<DeploymentManagerResource> Resources { get; }

    public static DeploymentManagerConfig Load(string relativePath) => new(YamlNodes.LoadRoot(relativePath));

    public IReadOnlyList<DeploymentManagerResource> OfType(string type) => Resources.Where(resource => resource.Type == type).ToList();

    public DeploymentManagerResource Named(string name) => Resources.Single(resource => resource.Name == name);

    /// <summary>Every <c>$(ref.NAME.FIELD)</c> in the config (resources and outputs), as (name, field, where).</summary>
    public IEnumerable<(string Name, string Field, string Location)> References() => ReferencesIn(Root, "");

    /// <summary>The resource name in <paramref name="value"/> when it is exactly one <c>$(ref.NAME.selfLink)</c>, else null.</summary>
    public static string? SelfLinkTarget(YamlNode? value)
    {
        var match = value is YamlScalarNode scalar ? WholeSelfLink().Match(scalar.Value ?? "") : Match.Empty;
        return match.Success ? match.Groups[1].Value : null;
    }

    private static IEnumerable<(string Name, string Field, string Location)> ReferencesIn(YamlNode node, string location) => node switch
    {
        YamlScalarNode scalar => Reference().Matches(scalar.Value ?? "").Select(match => (match.Groups[1].Value, match.Groups[2].Value, location)),
        YamlSequenceNode sequence => sequence.Children.SelectMany((item, index) => ReferencesIn(item, $"{location}[{index}]")),
        YamlMappingNode mapping => mapping.Entries().SelectMany(entry => ReferencesIn(entry.Value, $"{location}.{entry.Key}")),
        _ => [],
    };

    private static DeploymentManagerResource ToResource(YamlNode node)
    {
        var mapping = node as YamlMappingNode ?? new YamlMappingNode();
        var properties = mapping.ChildMapping("properties");
        return new DeploymentManagerResource(mapping.PlainScalar("name") ?? "", mapping.PlainScalar("type") ?? "", properties is not null, properties ?? new YamlMappingNode());
    }

    [GeneratedRegex(@"\$\(ref\.([^.)]*)\.([^)]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    [GeneratedRegex(@"^\$\(ref\.([^.)]+)\.selfLink\)$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeSelfLink();
}
