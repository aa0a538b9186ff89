using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>
/// Validates the <c>region:</c> section. A value set in code is held to its key's rule; with <c>region.enabled</c> true,
/// the keys are checked against each other: no repeated region, current and primary among the regions, an endpoint per
/// voter and none beyond, replication targets among the other regions, sync only with a target, and the shared secret.
/// </summary>
internal sealed class RegionOptionsValidator(ISettingOrigins origins) : IValidateOptions<RegionOptions>
{
    public RegionOptionsValidator()
        : this(SettingOrigins.None)
    {
    }

    public ValidateOptionsResult Validate(string? name, RegionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = RegionSettings.Section.CheckValues(options, origins).ToList();
        if (options.Enabled)
        {
            var checks = new RegionChecks(options, origins, errors);
            checks.CheckTopology();
            new RegionSecretCheck(checks).Check();
        }

        return OptionsValidation.Result(errors);
    }
}
