using GhidraInsight.Configuration;

namespace GhidraInsight.Configuration.Tests.Support;

/// <summary>A fresh temporary folder holding an optional config.yaml, deleted afterwards; loads with given env and flags.</summary>
internal sealed class ConfigFolder : IDisposable
{
    public ConfigFolder(string? yaml = null)
    {
        Path = Directory.CreateTempSubdirectory("ghidra-config-").FullName;
        ConfigPath = System.IO.Path.Combine(Path, "config.yaml");
        if (yaml is not null)
        {
            File.WriteAllText(ConfigPath, yaml);
        }
    }

    public string Path { get; }

    public string ConfigPath { get; }

    public GhidraOptions Load(Dictionary<string, string>? environment = null, Dictionary<string, string>? flags = null) =>
        ConfigLoader.Load(Sources(environment, flags));

    public ConfigurationException LoadFails(Dictionary<string, string>? environment = null, Dictionary<string, string>? flags = null) =>
        Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(Sources(environment, flags)));

    /// <summary>The reloadable configuration of this folder; the file is watched only when asked, so most tests hold no watcher.</summary>
    public GhidraConfiguration LoadConfiguration(Dictionary<string, string>? environment = null, Microsoft.Extensions.Logging.ILogger? logger = null,
        bool watch = false) =>
        GhidraConfiguration.Load(Sources(environment), logger, watch);

    /// <summary>Replaces the config file's content.</summary>
    public void Write(string yaml) => File.WriteAllText(ConfigPath, yaml);

    public ConfigSources Sources(Dictionary<string, string>? environment = null, Dictionary<string, string>? flags = null) =>
        new(File.Exists(ConfigPath) ? ConfigPath : null, environment ?? [], flags ?? []);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
