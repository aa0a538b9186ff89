using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Deploy.Tests.Support;

/// <summary>
/// Collects, from any of the deploy files, every value under a key that names a port (listener, target, health check, firewall)
/// or a health-check path, whatever the provider calls it, so one test can hold all of them to port 3000 and /health.
/// </summary>
internal static class PortAndPathSettings
{
    private static readonly HashSet<string> PortKeys = new(
        ["Port", "HealthCheckPort", "FromPort", "ToPort", "EndpointPort", "ListenerPort", "port", "portRange", "ports", "defaultPort"], StringComparer.Ordinal);

    private static readonly HashSet<string> PathKeys = new(["HealthCheckPath", "ResourcePath", "requestPath", "path"], StringComparer.Ordinal);

    public static IReadOnlyList<PortAndPathSetting> In(string file)
    {
        if (file.EndsWith(".json", StringComparison.Ordinal))
        {
            using var template = ArmTemplate.Load(file);
            return InJson(template.Root, "$", template).ToList();
        }
        var root = YamlNodes.LoadRoot(file);
        Func<YamlNode, string?> resolve = root.Child("AWSTemplateFormatVersion") is not null
            ? CloudFormationTemplate.Load(file).Resolve
            : node => node is YamlScalarNode scalar ? scalar.Value : null;
        return InYaml(root, "", resolve).ToList();
    }

    private static IEnumerable<PortAndPathSetting> InYaml(YamlNode node, string location, Func<YamlNode, string?> resolve) => node switch
    {
        YamlSequenceNode sequence => sequence.Children.SelectMany((item, index) => InYaml(item, $"{location}[{index}]", resolve)),
        YamlMappingNode mapping => mapping.Entries().SelectMany(entry => IsSetting(entry.Key)
            ? Values(entry.Value).Select(value => new PortAndPathSetting(entry.Key, $"{location}.{entry.Key}", resolve(value), PathKeys.Contains(entry.Key)))
            : InYaml(entry.Value, $"{location}.{entry.Key}", resolve)),
        _ => [],
    };

    private static IEnumerable<PortAndPathSetting> InJson(JsonElement element, string location, ArmTemplate template) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().SelectMany((item, index) => InJson(item, $"{location}[{index}]", template)),
        // Parameter declarations describe settings; the settings themselves are in resources.
        JsonValueKind.Object => element.EnumerateObject().Where(property => location != "$" || property.Name != "parameters").SelectMany(property =>
            IsSetting(property.Name)
                ? [new PortAndPathSetting(property.Name, $"{location}.{property.Name}", template.Resolve(property.Value), PathKeys.Contains(property.Name))]
                : InJson(property.Value, $"{location}.{property.Name}", template)),
        _ => [],
    };

    private static bool IsSetting(string key) => PortKeys.Contains(key) || PathKeys.Contains(key);

    /// <summary>A key like <c>ports</c> holds a list; its items are the values. A tagged sequence (<c>!If</c>, …) is one value.</summary>
    private static IEnumerable<YamlNode> Values(YamlNode node) =>
        node is YamlSequenceNode sequence && YamlNodes.TagOf(sequence) is null ? sequence.Children : [node];
}
