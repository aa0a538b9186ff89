using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>
/// The rule across <c>server:</c>, <c>gateway:</c> and <c>auth:</c>: a host beyond loopback (anything but 127.0.0.0/8, ::1,
/// localhost) needs at least one API key, for a region and for the gateway alike, at start and on every reload (so a reload
/// cannot take the last key away from a public listener). Judged only on a host and keys that are themselves sound, so a typo
/// is not reported twice. Such a host also needs TLS, or <c>allow_insecure_http</c> (see <see cref="TlsChecks"/>). Also: several
/// regions on PostgreSQL need their Patroni's REST API (Patroni says who is primary).
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
        if (options.Storage.IsPostgres && options.Region.Enabled && options.Storage.PatroniUrl is null && !origins.Reported(StorageSettings.PatroniUrl))
        {
            return ValidateOptionsResult.Fail(
                $"{StorageSettings.PatroniUrl} is required with storage.provider postgres and region.enabled: this region's Patroni REST API (e.g. http://127.0.0.1:8008), which says whose database leads");
        }

        var failures = new List<string>();
        TlsChecks.Check(options, origins, failures);
        var keys = AuthSettings.ApiKeys;
        if (!origins.Reported(keys) && options.Auth.ApiKeys.Count == 0)
        {
            foreach (var (setting, value) in new (ConfigName, string)[] { (ServerSettings.Host, options.Server.Host), (GatewaySettings.Host, options.Gateway.Host) })
            {
                if (!origins.Reported(setting) && !ValueRules.IsLoopback(value))
                {
                    failures.Add($"{setting} = '{ConfigErrors.Show(value)}': listening beyond loopback requires API keys ({keys.Key} or {keys.EnvironmentVariable})");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
