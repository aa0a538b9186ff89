using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace GhidraInsight.Configuration;

/// <summary>
/// The configuration root built from <see cref="ConfigSources"/>, in increasing precedence: the YAML file (watched when
/// asked), the environment as read at start, the flags. Owns the file provider that watches the file's folder.
/// </summary>
internal sealed class ConfigurationSourceSet : IDisposable
{
    /// <summary>How long a burst of file events (an editor's truncate-then-write) settles before the file is read again.</summary>
    public static readonly TimeSpan FileChangeDebounce = TimeSpan.FromMilliseconds(250);

    private readonly PhysicalFileProvider? _files;

    private ConfigurationSourceSet(IConfigurationRoot root, PhysicalFileProvider? files, string? configPath)
    {
        Root = root;
        _files = files;
        ConfigPath = configPath;
    }

    public IConfigurationRoot Root { get; }

    /// <summary>The config file as given (<c>--config</c>, else <c>GHIDRA_CONFIG</c>), or <see langword="null"/>.</summary>
    public string? ConfigPath { get; }

    public static ConfigurationSourceSet Build(ConfigSources sources, bool watchConfigFile)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var path = sources.ConfigPath;
        if (string.IsNullOrEmpty(path) && sources.Environment.TryGetValue(ConfigNames.ConfigFileEnvironmentVariable, out var fromEnvironment))
        {
            path = fromEnvironment;
        }

        var builder = new ConfigurationBuilder();
        PhysicalFileProvider? files = null;
        if (!string.IsNullOrEmpty(path))
        {
            var fullPath = Path.GetFullPath(path);
            var folder = Path.GetDirectoryName(fullPath) ?? Directory.GetCurrentDirectory();
            // Dot-files are fine as config files; the provider hides them unless told not to.
            files = Directory.Exists(folder) ? new PhysicalFileProvider(folder, ExclusionFilters.None) : null;
            builder.Add(new YamlConfigurationSource
            {
                DisplayPath = path,
                BaseDirectory = folder,
                FullPath = fullPath,
                FileProvider = files,
                Path = Path.GetFileName(fullPath),
                Optional = true,
                ReloadOnChange = watchConfigFile && files is not null,
                ReloadDelay = (int)FileChangeDebounce.TotalMilliseconds,
            });
        }

        builder.Add(new EnvironmentSettingsSource(sources.Environment));
        builder.Add(new FlagSettingsSource(sources.Flags));
        return new ConfigurationSourceSet(builder.Build(), files, string.IsNullOrEmpty(path) ? null : path);
    }

    public void Dispose()
    {
        (Root as IDisposable)?.Dispose();
        _files?.Dispose();
    }
}
