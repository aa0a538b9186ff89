using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>Validates the <c>gateway:</c> section: values set in code are held to their keys' rules, as binding holds those it reads.</summary>
internal sealed class GatewayOptionsValidator(ISettingOrigins origins) : IValidateOptions<GatewayOptions>
{
    public GatewayOptionsValidator()
        : this(SettingOrigins.None)
    {
    }

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OptionsValidation.Result(GatewaySettings.Section.CheckValues(options, origins));
    }
}
