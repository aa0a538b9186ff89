using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// Reads <c>config.yaml</c> through YamlDotNet's representation model, so every unknown key, misplaced list and syntax
/// error is reported with its line instead of being silently dropped by a deserialiser.
/// </summary>
internal sealed class YamlSettingsReader(string path, RawSettings settings, List<string> errors)
{
    private static readonly string[] ApiKeyFields = ["name", "role", "key_sha256", "key"];

    private readonly string _baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();

    public void Read()
    {
        if (!File.Exists(path))
        {
            errors.Add(Directory.Exists(path)
                ? $"config file '{path}' (--config or {ConfigNames.ConfigFileEnvironmentVariable}) is a folder, not a file"
                : $"config file '{path}' (--config or {ConfigNames.ConfigFileEnvironmentVariable}) not found");
            return;
        }

        var stream = new YamlStream();
        Parser? parser = null;
        try
        {
            using var reader = new StreamReader(path);
            parser = new Parser(reader);
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var message = string.Join(' ', (e.InnerException?.Message ?? e.Message).Split('\n', '\r'));
            errors.Add($"{path} line {e.Start.Line}, column {e.Start.Column}: YAML syntax error: {ConfigErrors.Show(message)}");
            return;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed input (e.g. an unclosed "[" before a mapping key);
            // the last event read is the best position there is.
            var mark = parser?.Current?.Start ?? Mark.Empty;
            errors.Add($"{path} line {mark.Line}, column {mark.Column}: YAML syntax error: malformed value starting here (unclosed bracket or quote?)");
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"config file '{path}' (--config or {ConfigNames.ConfigFileEnvironmentVariable}) cannot be read: {e.Message}");
            return;
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add($"{path} line {stream.Documents[1].RootNode.Start.Line}: holds more than one YAML document; a config file holds one");
            return;
        }

        if (stream.Documents.Count == 1)
        {
            ReadRoot(stream.Documents[0].RootNode);
        }
    }

    private void ReadRoot(YamlNode root)
    {
        if (IsNull(root))
        {
            return;
        }

        if (root is not YamlMappingNode sections)
        {
            errors.Add($"{path} line {root.Start.Line}: must be a mapping of sections: {string.Join(", ", ConfigNames.Sections)}");
            return;
        }

        foreach (var (keyNode, value) in sections)
        {
            var section = (keyNode as YamlScalarNode)?.Value ?? "";
            var where = Where(keyNode);
            if (!ConfigNames.Sections.Contains(section))
            {
                errors.Add($"{section}{where}: unknown key; known sections: {string.Join(", ", ConfigNames.Sections)}");
            }
            else if (value is YamlMappingNode keys)
            {
                ReadSection(section, keys);
            }
            else if (!IsNull(value))
            {
                errors.Add($"{section}{Where(value)}: must be a mapping of keys: {KnownIn(section)}");
            }
        }
    }

    private void ReadSection(string section, YamlMappingNode keys)
    {
        foreach (var (keyNode, value) in keys)
        {
            var key = $"{section}.{(keyNode as YamlScalarNode)?.Value}";
            var name = ConfigNames.Find(key);
            if (name is null)
            {
                errors.Add(ConfigErrors.UnknownKey(key, Where(keyNode), section, ConfigNames.InSection(section).Select(n => n.Name)));
            }
            else if (name == ConfigNames.AuthApiKeys)
            {
                ReadApiKeys(value);
            }
            else if (name == ConfigNames.RegionSecret)
            {
                // Reported even when empty: the key itself does not belong in a file that may be committed.
                errors.Add($"{name.Key} ({name.EnvironmentVariable}){Where(keyNode)}: not accepted in a config file, so the secret stays out of "
                    + $"files that get committed; put it in a file named by {ConfigNames.RegionSecretFile.Key} or set {name.EnvironmentVariable}");
            }
            else if (name == ConfigNames.RegionRegions || name == ConfigNames.RegionReplicationRegions)
            {
                ReadList(name, value);
            }
            else if (name == ConfigNames.RegionEndpoints)
            {
                ReadMapping(name, value);
            }
            else if (Scalar(name.Key, name.EnvironmentVariable, value) is { } raw)
            {
                settings.Set(name, raw);
            }
        }
    }

    private void ReadApiKeys(YamlNode value)
    {
        if (IsNull(value))
        {
            return;
        }

        var env = ConfigNames.AuthApiKeys.EnvironmentVariable;
        if (value is not YamlSequenceNode items)
        {
            errors.Add($"auth.api_keys ({env}){Where(value)}: must be a list of {{ name, role, key_sha256 }} entries");
            return;
        }

        var keys = new List<RawApiKey>();
        foreach (var item in items)
        {
            var index = keys.Count;
            var prefix = $"auth.api_keys[{index}]";
            if (item is not YamlMappingNode fields)
            {
                errors.Add($"{prefix} ({env}){Where(item)}: must be a mapping with name, role and key_sha256 (or key)");
                keys.Add(new RawApiKey(index, Where(item), null, null, null, null) { Unreadable = true });
                continue;
            }

            var found = new Dictionary<string, RawValue>(StringComparer.Ordinal);
            foreach (var (fieldNode, fieldValue) in fields)
            {
                var field = (fieldNode as YamlScalarNode)?.Value ?? "";
                if (!ApiKeyFields.Contains(field))
                {
                    errors.Add(ConfigErrors.UnknownKey($"{prefix}.{field}", Where(fieldNode), "auth.api_keys[]", ApiKeyFields));
                }
                else if (Scalar($"{prefix}.{field}", env, fieldValue) is { } raw)
                {
                    found[field] = raw;
                }
            }

            keys.Add(new RawApiKey(index, Where(item), found.GetValueOrDefault("name"), found.GetValueOrDefault("role"),
                found.GetValueOrDefault("key"), found.GetValueOrDefault("key_sha256")));
        }

        settings.ApiKeys = keys;
    }

    /// <summary>A YAML list of names (a single scalar is taken as comma-separated, as in the environment).</summary>
    private void ReadList(ConfigName name, YamlNode value)
    {
        if (IsNull(value))
        {
            return;
        }

        if (value is YamlScalarNode)
        {
            settings.Set(name, Scalar(name.Key, name.EnvironmentVariable, value)!);
            return;
        }

        if (value is not YamlSequenceNode sequence)
        {
            errors.Add($"{name.Key} ({name.EnvironmentVariable}){Where(value)}: must be a list of region names, e.g. [\"us-east-1\", \"eu-west-1\"]");
            return;
        }

        var items = new List<RawValue>();
        var readable = true;
        foreach (var item in sequence)
        {
            var raw = Scalar($"{name.Key}[{items.Count}]", name.EnvironmentVariable, item);
            readable &= raw is not null || IsNull(item);
            items.Add(raw ?? new RawValue("", name.EnvironmentVariable, Where(item), _baseDirectory));
        }

        if (readable)
        {
            settings.Set(name, new RawValue(string.Join(",", items.Select(i => i.Text)), name.EnvironmentVariable, Where(value), _baseDirectory)
            {
                Items = items,
            });
        }
    }

    /// <summary>A YAML mapping of region name to value.</summary>
    private void ReadMapping(ConfigName name, YamlNode value)
    {
        if (IsNull(value))
        {
            return;
        }

        if (value is not YamlMappingNode mapping)
        {
            errors.Add($"{name.Key} ({name.EnvironmentVariable}){Where(value)}: must be a mapping of region name to URL, e.g. us-east-1: http://127.0.0.1:3101");
            return;
        }

        var pairs = new List<KeyValuePair<RawValue, RawValue>>();
        var readable = true;
        foreach (var (keyNode, valueNode) in mapping)
        {
            var region = keyNode is YamlScalarNode { Value: { } regionName }
                ? new RawValue(regionName, name.EnvironmentVariable, Where(keyNode), _baseDirectory)
                : null;
            if (region is null)
            {
                errors.Add($"{name.Key} ({name.EnvironmentVariable}){Where(keyNode)}: each key must be a region name, e.g. us-east-1: http://127.0.0.1:3101");
            }

            var url = IsNull(valueNode)
                ? new RawValue("", name.EnvironmentVariable, Where(keyNode), _baseDirectory)
                : Scalar($"{name.Key}.{region?.Text}", name.EnvironmentVariable, valueNode);
            if (region is null || url is null)
            {
                readable = false;
                continue;
            }

            pairs.Add(new(region, url));
        }

        if (readable)
        {
            settings.Set(name, new RawValue(string.Join(",", pairs.Select(p => $"{p.Key.Text}={p.Value.Text}")), name.EnvironmentVariable,
                Where(value), _baseDirectory) { Pairs = pairs });
        }
    }

    /// <summary>The scalar's text, or <see langword="null"/> (with an error for a list or mapping) when there is none.</summary>
    private RawValue? Scalar(string key, string environmentVariable, YamlNode value)
    {
        if (IsNull(value))
        {
            return null;
        }

        if (value is YamlScalarNode scalar)
        {
            return new RawValue(scalar.Value ?? "", environmentVariable, Where(value), _baseDirectory);
        }

        var kind = value is YamlSequenceNode ? "a list" : "a mapping";
        errors.Add($"{key} ({environmentVariable}){Where(value)}: must be a single value, not {kind}");
        return null;
    }

    private string Where(YamlNode node) => ConfigErrors.Where(path, (int)node.Start.Line);

    private static string KnownIn(string section) => string.Join(", ", ConfigNames.InSection(section).Select(n => n.Name));

    /// <summary>An empty value, <c>~</c> or <c>null</c>: the key keeps its default.</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };
}
