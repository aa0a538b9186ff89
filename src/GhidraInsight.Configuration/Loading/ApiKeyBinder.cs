using System.Security.Cryptography;
using System.Text;

namespace GhidraInsight.Configuration;

/// <summary>Checks API key entries: name, role, exactly one of key_sha256 / key, no duplicate names or keys. Plaintext keys are hashed here.</summary>
internal sealed class ApiKeyBinder(List<string> errors)
{
    private const string RoleAllowed = "must be one of read, analyze, annotate, admin";
    private static readonly string Env = ConfigNames.AuthApiKeys.EnvironmentVariable;

    /// <summary>The keys, or <see langword="null"/> when none were configured.</summary>
    public AuthOptions? Bind(IReadOnlyList<RawApiKey>? entries)
    {
        if (entries is null)
        {
            return null;
        }

        var keys = new List<ApiKeyOptions>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var prefix = $"auth.api_keys[{entry.Index}]";
            if (entry.Malformed is { } malformed)
            {
                var shown = malformed with { Text = Mask(malformed.Text) };
                errors.Add(ConfigErrors.Invalid(prefix, shown, $"must be name:role:key (role one of read, analyze, annotate, admin)"));
                continue;
            }

            if (entry.Unreadable)
            {
                continue;
            }

            var name = Name(prefix, entry);
            var role = Role(prefix, entry);
            var hash = Hash(prefix, entry);
            if (name is null || role is null || hash is null)
            {
                continue;
            }

            if (names.TryGetValue(name, out var firstName))
            {
                errors.Add(ConfigErrors.Invalid($"{prefix}.name", entry.Name!, $"duplicate name; already used by {firstName}"));
                continue;
            }

            if (hashes.TryGetValue(hash, out var sameKey))
            {
                errors.Add($"{prefix} ({Env}){entry.Where}: same key as {sameKey}; each key must be different");
                continue;
            }

            names[name] = prefix;
            hashes[hash] = $"{prefix} ('{name}')";
            keys.Add(new ApiKeyOptions { Name = name, Role = role.Value, KeySha256 = hash });
        }

        return new AuthOptions { ApiKeys = keys };
    }

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 bytes, as stored in <c>key_sha256</c>.</summary>
    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private string? Name(string prefix, RawApiKey entry)
    {
        if (entry.Name is null)
        {
            errors.Add($"{prefix}.name ({Env}){entry.Where}: missing; each key needs name, role and key_sha256 (or key)");
            return null;
        }

        if (ValueRules.IsKeyName(entry.Name.Text))
        {
            return entry.Name.Text;
        }

        errors.Add(ConfigErrors.Invalid($"{prefix}.name", entry.Name, ValueRules.KeyNameAllowed));
        return null;
    }

    private ApiRole? Role(string prefix, RawApiKey entry)
    {
        if (entry.Role is null)
        {
            errors.Add($"{prefix}.role ({Env}){entry.Where}: missing; {RoleAllowed}");
            return null;
        }

        ApiRole? role = entry.Role.Text switch
        {
            "read" => ApiRole.Read,
            "analyze" => ApiRole.Analyze,
            "annotate" => ApiRole.Annotate,
            "admin" => ApiRole.Admin,
            _ => null,
        };
        if (role is null)
        {
            errors.Add(ConfigErrors.Invalid($"{prefix}.role", entry.Role, RoleAllowed));
        }

        return role;
    }

    private string? Hash(string prefix, RawApiKey entry)
    {
        switch (entry)
        {
            case { Key: not null, KeySha256: not null }:
                errors.Add($"{prefix} ({Env}){entry.Where}: has both key and key_sha256; give one");
                return null;
            case { Key: { } key }:
                if (key.Text.Length > 0)
                {
                    return Sha256Hex(key.Text);
                }

                errors.Add(ConfigErrors.InvalidSecret($"{prefix}.key", key, "must not be empty"));
                return null;
            case { KeySha256: { } sha }:
                if (ValueRules.IsSha256Hex(sha.Text))
                {
                    return sha.Text.ToLowerInvariant();
                }

                errors.Add(ConfigErrors.Invalid($"{prefix}.key_sha256", sha, "must be 64 hex characters (the SHA-256 of the key)"));
                return null;
            default:
                errors.Add($"{prefix}.key_sha256 ({Env}){entry.Where}: missing; give key_sha256 (or key, hashed at load)");
                return null;
        }
    }

    /// <summary>Shows the name of a malformed <c>name:role:key</c> entry, never what may be the key.</summary>
    private static string Mask(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? "***" : entry[..(colon + 1)] + "***";
    }
}
