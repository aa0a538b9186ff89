namespace GhidraInsight.Configuration;

/// <summary>Where configuration comes from, in increasing precedence: the YAML file, the environment, command-line flags.</summary>
/// <param name="ConfigPath">The <c>--config</c> file, else <c>GHIDRA_CONFIG</c>, else none (defaults).</param>
/// <param name="Environment">Environment variables (normally <see cref="System.Environment.GetEnvironmentVariables()"/>).</param>
/// <param name="Flags">Flag overrides by dotted key, e.g. <c>server.port</c> → <c>"3105"</c>, <c>storage.data_dir</c>.</param>
public sealed record ConfigSources(string? ConfigPath, IReadOnlyDictionary<string, string> Environment, IReadOnlyDictionary<string, string> Flags)
{
    /// <summary>The real process: its environment variables, the <c>--config</c> flag (else <c>GHIDRA_CONFIG</c>), and flag overrides.</summary>
    public static ConfigSources FromProcess(string? configFlag, IReadOnlyDictionary<string, string>? flags = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string ?? "";
        }

        var path = string.IsNullOrEmpty(configFlag) ? environment.GetValueOrDefault(ConfigNames.ConfigFileEnvironmentVariable) : configFlag;
        return new ConfigSources(string.IsNullOrEmpty(path) ? null : path, environment, flags ?? new Dictionary<string, string>());
    }
}
