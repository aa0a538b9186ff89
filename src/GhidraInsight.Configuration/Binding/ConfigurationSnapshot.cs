using Microsoft.Extensions.Configuration;

namespace GhidraInsight.Configuration;

/// <summary>A bound and validated configuration: the options and where each value came from.</summary>
internal sealed record ConfigurationSnapshot(GhidraOptions Options, SettingOrigins Origins)
{
    /// <summary>Binds every source and validates every section; the problems are empty when the configuration is valid.</summary>
    public static (ConfigurationSnapshot Snapshot, IReadOnlyList<string> Errors) Read(IConfigurationRoot root)
    {
        var bound = OptionsBinder.Bind(root);
        IReadOnlyList<string> errors = [.. bound.Errors, .. OptionsValidation.Validate(bound.Options, bound.Origins)];
        return (new ConfigurationSnapshot(bound.Options, bound.Origins), errors);
    }
}
