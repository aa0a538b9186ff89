using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>
/// The rule across <c>server:</c> and <c>auth:</c>: a host beyond loopback (anything but 127.0.0.0/8, ::1, localhost) needs
/// at least one API key. Judged only on a host and keys that are themselves sound, so a typo is not reported twice.
/// </summary>
internal sealed class GhidraOptionsValidator(ISettingOrigins origins) : IValidateOptions<GhidraOptions>
{
    public GhidraOptionsValidator()
        : this(SettingOrigins.None)
    {
    }

    public ValidateOptionsResult Validate(string? name, GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (host, keys) = (ServerSettings.Host, AuthSettings.ApiKeys);
        if (origins.Reported(host) || origins.Reported(keys) || ValueRules.IsLoopback(options.Server.Host) || options.Auth.ApiKeys.Count > 0)
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail($"{host} = '{ConfigErrors.Show(options.Server.Host)}': listening beyond loopback requires API keys "
            + $"({keys.Key} or {keys.EnvironmentVariable})");
    }
}
