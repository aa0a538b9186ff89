using Microsoft.Extensions.Configuration;

namespace GhidraInsight.Configuration;

/// <summary>
/// <c>config.yaml</c> as a file source. Optional to the base class (a missing file is reported by the provider as a
/// problem, in the one-line form, rather than thrown); <see cref="FileConfigurationSource.ReloadOnChange"/> watches it.
/// </summary>
internal sealed class YamlConfigurationSource : FileConfigurationSource
{
    /// <summary>The path as the user gave it, for messages.</summary>
    public required string DisplayPath { get; init; }

    /// <summary>The file's folder, which relative paths in it are taken from.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>The file's absolute path.</summary>
    public required string FullPath { get; init; }

    // No EnsureDefaults: the builder's default file provider is the application's folder, not the config file's.
    public override IConfigurationProvider Build(IConfigurationBuilder builder) => new YamlConfigurationProvider(this);
}
