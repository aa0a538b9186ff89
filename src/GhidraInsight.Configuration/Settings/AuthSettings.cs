namespace GhidraInsight.Configuration;

/// <summary>The keys of <c>auth:</c>, each declared once.</summary>
internal static class AuthSettings
{
    /// <summary>
    /// API keys. In YAML a list of <c>{ name, role, key_sha256 }</c> (or <c>key</c>, plaintext, hashed at load). In the
    /// environment (or the <c>auth.api_keys</c> flag) a comma-separated list <c>name:role:key,name2:role:key2</c> of
    /// plaintext keys: name, then role (<c>read</c>, <c>analyze</c>, <c>annotate</c>, <c>admin</c>), then the key, which may
    /// contain <c>:</c> but not <c>,</c>. Keys from the environment replace those from the file. Reloadable, so a key can
    /// be added or revoked without a restart.
    /// </summary>
    public static readonly Setting<AuthOptions, IReadOnlyList<ApiKeyOptions>> ApiKeys =
        new("auth.api_keys", ApiKeyListRule.Instance, o => o.ApiKeys, (o, v) => o with { ApiKeys = v })
        {
            IsReloadable = true,
        };

    public static readonly OptionsSection<AuthOptions> Section = new("auth", o => o.Auth, (o, s) => o with { Auth = s }, [ApiKeys]);
}
