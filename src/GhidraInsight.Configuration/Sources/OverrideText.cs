using System.Globalization;

namespace GhidraInsight.Configuration;

/// <summary>
/// Flattens one override given as text (an environment variable or a flag) by its key's shape: comma-separated lists,
/// <c>region=url</c> entries, <c>name:role:key</c> API keys. A malformed entry is a problem, reported; the others stay.
/// </summary>
internal static class OverrideText
{
    private const StringSplitOptions Entries = StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries;

    public static void Add(SettingData data, ConfigName setting, string text, string variable, string where)
    {
        var path = setting.Path;
        switch (setting.Shape)
        {
            case SettingShape.List:
                data.Set(path, text, variable, where);
                foreach (var (item, i) in text.Split(',', Entries).Select((item, i) => (item, i)))
                {
                    data.Set(Item(path, i), item, variable, where);
                }

                break;
            case SettingShape.Map:
                data.Set(path, text, variable, where);
                AddMap(data, setting, text, variable, where);
                break;
            case SettingShape.ApiKeys:
                // The whole text holds plaintext keys: only the marker that the key is present is kept for it.
                data.Set(path, "", variable, where);
                AddApiKeys(data, setting, text, variable, where);
                break;
            default:
                data.Set(path, text, variable, where);
                break;
        }
    }

    private static void AddMap(SettingData data, ConfigName setting, string text, string variable, string where)
    {
        foreach (var entry in text.Split(',', Entries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                data.Problem(ConfigErrors.Invalid(setting.Key, new RawValue(entry, variable, where), setting.EntryAllowed ?? setting.Allowed), setting);
                continue;
            }

            var (name, value) = (entry[..equals].Trim(), entry[(equals + 1)..].Trim());
            if (name.Contains(':', StringComparison.Ordinal))
            {
                // A configuration path cannot hold ':' in one segment; no region name has one either.
                data.Problem(ConfigErrors.Invalid(setting.Key, new RawValue(name, variable, where), EndpointMapRule.RegionKeyAllowed), setting);
            }
            else if (data.Contains($"{setting.Path}:{name}"))
            {
                data.Problem(ConfigErrors.Invalid($"{setting.Key}.{name}", new RawValue(value, variable, where), $"duplicate; {name} has an endpoint already"), setting);
            }
            else
            {
                data.Set($"{setting.Path}:{name}", value, variable, where);
            }
        }
    }

    /// <summary><c>name:role:key,name2:role:key2</c>; the key is everything after the second colon and may hold ':' but not ','.</summary>
    private static void AddApiKeys(SettingData data, ConfigName setting, string text, string variable, string where)
    {
        var index = 0;
        foreach (var entry in text.Split(',', Entries))
        {
            var parts = entry.Split(':', 3, StringSplitOptions.TrimEntries);
            var path = Item(setting.Path, index);
            if (parts.Length == 3)
            {
                data.Set(path, "", variable, where);
                data.Set($"{path}:name", parts[0], variable, where);
                data.Set($"{path}:role", parts[1], variable, where);
                data.Set($"{path}:key", parts[2], variable, where);
            }
            else
            {
                data.Problem(ConfigErrors.Invalid($"{setting.Key}[{index}]", new RawValue(Mask(entry), variable, where),
                    "must be name:role:key (role one of read, analyze, annotate, admin)"), setting);
            }

            index++;
        }
    }

    private static string Item(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}:{index}");

    /// <summary>Shows the name of a malformed <c>name:role:key</c> entry, never what may be the key.</summary>
    private static string Mask(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? "***" : entry[..(colon + 1)] + "***";
    }
}
