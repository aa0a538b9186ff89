namespace GhidraInsight.Configuration;

/// <summary>
/// Builds <see cref="GhidraOptions"/> from defaults, then <c>config.yaml</c>, then <c>GHIDRA_*</c> environment variables, then
/// flags, and validates every key before returning. All problems are reported together in one
/// <see cref="ConfigurationException"/>, one line each, naming the key, its environment variable, the value and what is allowed.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads and validates; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    /// <remarks>
    /// The file is <see cref="ConfigSources.ConfigPath"/>, else <c>GHIDRA_CONFIG</c> from <see cref="ConfigSources.Environment"/>;
    /// with neither, defaults apply. Empty environment variables count as unset. <c>storage.data_dir</c> comes back absolute.
    /// A host beyond loopback without API keys is refused (see <see cref="RequireKeysForNonLoopback"/>).
    /// </remarks>
    public static GhidraOptions Load(ConfigSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var errors = new List<string>();
        var settings = new RawSettings();

        var path = sources.ConfigPath;
        if (string.IsNullOrEmpty(path) && sources.Environment.TryGetValue(ConfigNames.ConfigFileEnvironmentVariable, out var fromEnvironment))
        {
            path = fromEnvironment;
        }

        if (!string.IsNullOrEmpty(path))
        {
            new YamlSettingsReader(path, settings, errors).Read();
        }

        OverrideReader.ReadEnvironment(sources.Environment, settings, errors);
        OverrideReader.ReadFlags(sources.Flags, settings, errors);
        var options = new OptionsBinder(settings, errors).Bind();

        // Judged only on a host and keys that are themselves valid, so a typo is not reported twice.
        if (!errors.Any(e => e.StartsWith(ConfigNames.ServerHost.Key, StringComparison.Ordinal)
                || e.StartsWith(ConfigNames.AuthApiKeys.Key, StringComparison.Ordinal)))
        {
            errors.AddRange(CheckKeysForNonLoopback(options));
        }

        return errors.Count > 0 ? throw new ConfigurationException(errors) : options;
    }

    /// <summary>
    /// The security rule: a host beyond loopback (anything but 127.0.0.0/8, ::1, localhost) needs at least one API key.
    /// <see cref="Load"/> applies it; this is for options built some other way.
    /// </summary>
    public static void RequireKeysForNonLoopback(GhidraOptions options)
    {
        var errors = CheckKeysForNonLoopback(options);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }
    }

    /// <summary>Lowercase hex SHA-256 of a plaintext API key, as stored in <c>key_sha256</c> and compared at request time.</summary>
    public static string HashApiKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ApiKeyBinder.Sha256Hex(key);
    }

    private static List<string> CheckKeysForNonLoopback(GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = options.Server.Host;
        if (ValueRules.IsLoopback(host) || options.Auth.ApiKeys.Count > 0)
        {
            return [];
        }

        var name = ConfigNames.ServerHost;
        return [$"{name.Key} ({name.EnvironmentVariable}) = '{ConfigErrors.Show(host)}': listening beyond loopback requires API keys "
            + $"({ConfigNames.AuthApiKeys.Key} or {ConfigNames.AuthApiKeys.EnvironmentVariable})"];
    }
}
