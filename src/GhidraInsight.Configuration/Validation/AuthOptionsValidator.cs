using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>
/// Validates the <c>auth:</c> section: a value that no source gave (set in code) is held to its key's rule, as binding
/// holds the values it reads. A value read from a source was judged when it was bound, so it is not reported twice.
/// </summary>
internal sealed class AuthOptionsValidator(ISettingOrigins origins) : IValidateOptions<AuthOptions>
{
    public AuthOptionsValidator()
        : this(SettingOrigins.None)
    {
    }

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OptionsValidation.Result(AuthSettings.Section.CheckValues(options, origins));
    }
}
