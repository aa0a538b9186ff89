using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// Reads <c>config.yaml</c> through YamlDotNet's representation model, so every unknown key, misplaced list and syntax
/// error is reported with its line instead of being silently dropped by a deserialiser.
/// </summary>
internal sealed class YamlSettingsReader(string path, string baseDirectory)
{
    private readonly SettingData _data = new();

    public SettingData Read(TextReader text)
    {
        var stream = new YamlStream();
        Parser? parser = null;
        try
        {
            parser = new Parser(text);
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var message = string.Join(' ', (e.InnerException?.Message ?? e.Message).Split('\n', '\r'));
            _data.Problem($"{path} line {e.Start.Line}, column {e.Start.Column}: YAML syntax error: {ConfigErrors.Show(message)}");
            return _data;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed input (e.g. an unclosed "[" before a mapping key);
            // the last event read is the best position there is.
            var mark = parser?.Current?.Start ?? Mark.Empty;
            _data.Problem($"{path} line {mark.Line}, column {mark.Column}: YAML syntax error: malformed value starting here (unclosed bracket or quote?)");
            return _data;
        }

        if (stream.Documents.Count > 1)
        {
            _data.Problem($"{path} line {stream.Documents[1].RootNode.Start.Line}: holds more than one YAML document; a config file holds one");
        }
        else if (stream.Documents.Count == 1)
        {
            ReadRoot(stream.Documents[0].RootNode);
        }

        return _data;
    }

    private void ReadRoot(YamlNode root)
    {
        if (YamlShapes.IsNull(root))
        {
            return;
        }

        if (root is not YamlMappingNode sections)
        {
            _data.Problem($"{path} line {root.Start.Line}: must be a mapping of sections: {string.Join(", ", ConfigNames.Sections)}");
            return;
        }

        foreach (var (keyNode, value) in sections)
        {
            var section = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!ConfigNames.Sections.Contains(section))
            {
                _data.Problem($"{section}{Where(keyNode)}: unknown key; known sections: {string.Join(", ", ConfigNames.Sections)}");
            }
            else if (value is YamlMappingNode keys)
            {
                ReadSection(section, keys);
            }
            else if (!YamlShapes.IsNull(value))
            {
                _data.Problem($"{section}{Where(value)}: must be a mapping of keys: {string.Join(", ", ConfigNames.InSection(section).Select(n => n.Name))}");
            }
        }
    }

    /// <param name="prefix">The section (<c>server</c>), or a group within it (<c>server.tls</c>).</param>
    /// <param name="keys">The mapping under it.</param>
    private void ReadSection(string prefix, YamlMappingNode keys)
    {
        var shapes = new YamlShapes(_data, path, baseDirectory);
        var section = prefix.Split('.')[0];
        foreach (var (keyNode, value) in keys)
        {
            var key = $"{prefix}.{(keyNode as YamlScalarNode)?.Value}";
            var setting = ConfigNames.Find(key);
            var group = key + ".";
            if (setting is null && ConfigNames.InSection(section).Any(n => n.Key.StartsWith(group, StringComparison.Ordinal)))
            {
                if (value is YamlMappingNode groupKeys)
                {
                    ReadSection(key, groupKeys);
                }
                else if (!YamlShapes.IsNull(value))
                {
                    _data.Problem($"{key}{Where(value)}: must be a mapping of keys: "
                        + string.Join(", ", ConfigNames.InSection(section).Where(n => n.Key.StartsWith(group, StringComparison.Ordinal)).Select(n => n.Key[group.Length..])));
                }
            }
            else if (setting is null)
            {
                _data.Problem(ConfigErrors.UnknownKey(key, Where(keyNode), section, ConfigNames.InSection(section).Select(n => n.Name)));
            }
            else if (setting.IsSecret)
            {
                // Reported even when empty: the key itself does not belong in a file that may be committed.
                _data.Problem($"{setting}{Where(keyNode)}: not accepted in a config file, so the secret stays out of files that get committed; "
                    + $"put it in a file named by {setting.SecretFileKey} or set {setting.EnvironmentVariable}", setting);
            }
            else
            {
                shapes.Read(setting, value);
            }
        }
    }

    private string Where(YamlNode node) => ConfigErrors.Where(path, (int)node.Start.Line);
}
