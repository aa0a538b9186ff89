using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>
/// Validates the <c>server:</c> section: a value that no source gave (set in code) is held to its key's rule, as binding
/// holds the values it reads. A value read from a source was judged when it was bound, so it is not reported twice.
/// </summary>
internal sealed class ServerOptionsValidator(ISettingOrigins origins) : IValidateOptions<ServerOptions>
{
    public ServerOptionsValidator()
        : this(SettingOrigins.None)
    {
    }

    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return OptionsValidation.Result(ServerSettings.Section.CheckValues(options, origins));
    }
}
