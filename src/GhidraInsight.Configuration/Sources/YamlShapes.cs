using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// Flattens one key's YAML node by the key's shape: a value to <c>section:key</c>, a list to <c>section:key:0</c>…, a
/// mapping to <c>section:key:name</c>, API keys to <c>auth:api_keys:0:name</c>…; the key's own path holds the whole
/// value, so an empty list is still present. A node of the wrong shape is a problem and the key is left out.
/// </summary>
internal sealed class YamlShapes(SettingData data, string path, string baseDirectory)
{
    private static readonly string[] ApiKeyFields = ["name", "role", "key_sha256", "key"];

    public void Read(ConfigName setting, YamlNode value)
    {
        if (IsNull(value))
        {
            return;
        }

        switch (setting.Shape)
        {
            case SettingShape.List when value is YamlScalarNode:
                // A single value is taken as comma-separated, as in the environment.
                OverrideText.Add(data, setting, Text(value), setting.EnvironmentVariable, Where(value));
                break;
            case SettingShape.List:
                ReadList(setting, value);
                break;
            case SettingShape.Map:
                ReadMapping(setting, value);
                break;
            case SettingShape.ApiKeys:
                ReadApiKeys(setting, value);
                break;
            default:
                if (IsScalar(setting.Key, setting, value))
                {
                    Set(setting.Path, Text(value), setting, value);
                }

                break;
        }
    }

    /// <summary>An empty value, <c>~</c> or <c>null</c>: the key keeps its default.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private void ReadList(ConfigName setting, YamlNode value)
    {
        if (value is not YamlSequenceNode sequence)
        {
            data.Problem($"{setting}{Where(value)}: {setting.ShapeAllowed}", setting);
            return;
        }

        var items = sequence.Children;
        var readable = true;
        for (var i = 0; i < items.Count; i++)
        {
            readable &= IsNull(items[i]) || IsScalar($"{setting.Key}[{i}]", setting, items[i]);
        }

        if (readable)
        {
            Set(setting.Path, string.Join(",", items.Select(Text)), setting, value);
            for (var i = 0; i < items.Count; i++)
            {
                Set(string.Create(CultureInfo.InvariantCulture, $"{setting.Path}:{i}"), Text(items[i]), setting, items[i]);
            }
        }
    }

    private void ReadMapping(ConfigName setting, YamlNode value)
    {
        if (value is not YamlMappingNode mapping)
        {
            data.Problem($"{setting}{Where(value)}: {setting.ShapeAllowed}", setting);
            return;
        }

        var readable = true;
        foreach (var (keyNode, valueNode) in mapping)
        {
            var name = (keyNode as YamlScalarNode)?.Value;
            if (name is null)
            {
                data.Problem($"{setting}{Where(keyNode)}: each key must be a region name, e.g. us-east-1: http://127.0.0.1:3101", setting);
                readable = false;
            }
            else if (name.Contains(':', StringComparison.Ordinal))
            {
                // A configuration path cannot hold ':' in one segment; no region name has one either.
                data.Problem(ConfigErrors.Invalid(setting.Key, new RawValue(name, setting.EnvironmentVariable, Where(keyNode)), EndpointMapRule.RegionKeyAllowed), setting);
            }
            else
            {
                readable &= IsNull(valueNode) || IsScalar($"{setting.Key}.{name}", setting, valueNode);
            }
        }

        if (readable)
        {
            Set(setting.Path, "", setting, value);
            foreach (var (keyNode, valueNode) in mapping)
            {
                if (keyNode is YamlScalarNode { Value: { } name } && !name.Contains(':', StringComparison.Ordinal))
                {
                    Set($"{setting.Path}:{name}", IsNull(valueNode) ? "" : Text(valueNode), setting, keyNode);
                }
            }
        }
    }

    private void ReadApiKeys(ConfigName setting, YamlNode value)
    {
        if (value is not YamlSequenceNode items)
        {
            data.Problem($"{setting}{Where(value)}: {setting.Allowed}", setting);
            return;
        }

        Set(setting.Path, "", setting, value);
        for (var index = 0; index < items.Children.Count; index++)
        {
            var item = items.Children[index];
            var prefix = $"{setting.Key}[{index}]";
            if (item is not YamlMappingNode fields)
            {
                data.Problem($"{prefix} ({setting.EnvironmentVariable}){Where(item)}: must be a mapping with name, role and key_sha256 (or key)", setting);
                continue;
            }

            var entryPath = string.Create(CultureInfo.InvariantCulture, $"{setting.Path}:{index}");
            Set(entryPath, "", setting, item);
            foreach (var (fieldNode, fieldValue) in fields)
            {
                var field = (fieldNode as YamlScalarNode)?.Value ?? "";
                if (!ApiKeyFields.Contains(field))
                {
                    data.Problem(ConfigErrors.UnknownKey($"{prefix}.{field}", Where(fieldNode), $"{setting.Key}[]", ApiKeyFields), setting);
                }
                else if (!IsNull(fieldValue) && IsScalar($"{prefix}.{field}", setting, fieldValue))
                {
                    Set($"{entryPath}:{field}", Text(fieldValue), setting, fieldValue);
                }
            }
        }
    }

    /// <summary>Whether the node is one value; a list or mapping is reported.</summary>
    private bool IsScalar(string key, ConfigName setting, YamlNode value)
    {
        if (value is YamlScalarNode)
        {
            return true;
        }

        var kind = value is YamlSequenceNode ? "a list" : "a mapping";
        data.Problem($"{key} ({setting.EnvironmentVariable}){Where(value)}: must be a single value, not {kind}", setting);
        return false;
    }

    private void Set(string configPath, string text, ConfigName setting, YamlNode node) =>
        data.Set(configPath, text, setting.EnvironmentVariable, Where(node), baseDirectory);

    private static string Text(YamlNode node) => node is YamlScalarNode { Value: { } text } && !IsNull(node) ? text : "";

    private string Where(YamlNode node) => ConfigErrors.Where(path, (int)node.Start.Line);
}
