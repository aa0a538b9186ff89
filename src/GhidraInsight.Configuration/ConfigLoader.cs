namespace GhidraInsight.Configuration;

/// <summary>
/// Builds <see cref="GhidraOptions"/> from defaults, then <c>config.yaml</c>, then <c>GHIDRA_*</c> environment variables, then
/// flags, and validates every key before returning. All problems are reported together in one
/// <see cref="ConfigurationException"/>, one line each, naming the key, its environment variable, the value and what is allowed.
/// For a configuration that reloads, use <see cref="GhidraConfiguration.Load"/>.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Loads and validates once; throws <see cref="ConfigurationException"/> listing every problem.</summary>
    /// <remarks>
    /// The file is <see cref="ConfigSources.ConfigPath"/>, else <c>GHIDRA_CONFIG</c> from <see cref="ConfigSources.Environment"/>;
    /// with neither, defaults apply. Empty environment variables count as unset. <c>storage.data_dir</c> comes back absolute.
    /// A host beyond loopback without API keys is refused (see <see cref="RequireKeysForNonLoopback"/>).
    /// </remarks>
    public static GhidraOptions Load(ConfigSources sources)
    {
        using var set = ConfigurationSourceSet.Build(sources, watchConfigFile: false);
        var (snapshot, errors) = ConfigurationSnapshot.Read(set.Root);
        return errors.Count > 0 ? throw new ConfigurationException(errors) : snapshot.Options;
    }

    /// <summary>
    /// The security rule: a host beyond loopback (anything but 127.0.0.0/8, ::1, localhost) needs at least one API key.
    /// <see cref="Load"/> applies it; this is for options built some other way.
    /// </summary>
    public static void RequireKeysForNonLoopback(GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new GhidraOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new ConfigurationException([.. result.Failures ?? []]);
        }
    }

    /// <summary>Lowercase hex SHA-256 of a plaintext API key, as stored in <c>key_sha256</c> and compared at request time.</summary>
    public static string HashApiKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ApiKeyListRule.Sha256Hex(key);
    }
}
