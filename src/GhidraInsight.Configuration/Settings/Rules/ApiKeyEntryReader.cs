namespace GhidraInsight.Configuration;

/// <summary>Reads the fields of one API key entry, reporting each missing or bad one with the entry's position.</summary>
internal sealed class ApiKeyEntryReader(ConfigName setting, BindingContext context)
{
    private string Env => setting.EnvironmentVariable;

    public string? Name(string prefix, RawApiKey entry)
    {
        if (entry.Name is null)
        {
            context.Report(setting, $"{prefix}.name ({Env}){entry.Where}: missing; each key needs name, role and key_sha256 (or key)");
            return null;
        }

        if (ValueRules.IsKeyName(entry.Name.Text))
        {
            return entry.Name.Text;
        }

        context.Report(setting, ConfigErrors.Invalid($"{prefix}.name", entry.Name, ValueRules.KeyNameAllowed));
        return null;
    }

    public ApiRole? Role(string prefix, RawApiKey entry)
    {
        if (entry.Role is null)
        {
            context.Report(setting, $"{prefix}.role ({Env}){entry.Where}: missing; {ApiKeyListRule.RoleAllowed}");
            return null;
        }

        var role = ApiKeyListRule.ParseRole(entry.Role.Text);
        if (role is null)
        {
            context.Report(setting, ConfigErrors.Invalid($"{prefix}.role", entry.Role, ApiKeyListRule.RoleAllowed));
        }

        return role;
    }

    public string? Hash(string prefix, RawApiKey entry)
    {
        switch (entry)
        {
            case { Key: not null, KeySha256: not null }:
                context.Report(setting, $"{prefix} ({Env}){entry.Where}: has both key and key_sha256; give one");
                return null;
            case { Key: { } key }:
                if (key.Text.Length > 0)
                {
                    return ApiKeyListRule.Sha256Hex(key.Text);
                }

                context.Report(setting, ConfigErrors.InvalidSecret($"{prefix}.key", key, "must not be empty"));
                return null;
            case { KeySha256: { } sha }:
                if (ValueRules.IsSha256Hex(sha.Text))
                {
                    return sha.Text.ToLowerInvariant();
                }

                context.Report(setting, ConfigErrors.Invalid($"{prefix}.key_sha256", sha, "must be 64 hex characters (the SHA-256 of the key)"));
                return null;
            default:
                context.Report(setting, $"{prefix}.key_sha256 ({Env}){entry.Where}: missing; give key_sha256 (or key, hashed at load)");
                return null;
        }
    }
}
