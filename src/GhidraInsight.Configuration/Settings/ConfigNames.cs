namespace GhidraInsight.Configuration;

/// <summary>Every configuration key, as declared in the sections' settings tables. Errors name each key with its environment variable.</summary>
public static class ConfigNames
{
    /// <summary>Environment variable naming the config file when <c>--config</c> is not given.</summary>
    public const string ConfigFileEnvironmentVariable = "GHIDRA_CONFIG";

    private static readonly Dictionary<string, ConfigName> ByKey = OptionsSections.All
        .SelectMany(s => s.Settings)
        .ToDictionary(n => n.Key, StringComparer.Ordinal);

    /// <summary>All keys, in the order they are documented and written.</summary>
    public static IReadOnlyList<ConfigName> All { get; } = [.. OptionsSections.All.SelectMany(s => s.Settings)];

    /// <summary>The YAML sections, in order.</summary>
    public static IReadOnlyList<string> Sections { get; } = [.. OptionsSections.All.Select(s => s.Name)];

    /// <summary>The keys a reload applies without a restart.</summary>
    public static IReadOnlyList<ConfigName> Reloadable { get; } = [.. All.Where(n => n.IsReloadable)];

    /// <summary>The key with this dotted path, or <see langword="null"/>.</summary>
    public static ConfigName? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The keys of one section, for "known keys in server: …" messages.</summary>
    public static IEnumerable<ConfigName> InSection(string section) =>
        All.Where(n => string.Equals(n.Section, section, StringComparison.Ordinal));
}
