using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// API key entries: name, role, exactly one of <c>key_sha256</c> / <c>key</c>, no repeated name or key. Plaintext keys
/// are hashed here and not kept. Entries from the environment replace those of the file as a whole.
/// </summary>
internal sealed class ApiKeyListRule : SettingRule<IReadOnlyList<ApiKeyOptions>>
{
    public const string RoleAllowed = "must be one of read, analyze, annotate, admin";

    private static readonly Dictionary<string, ApiRole> Roles = new(StringComparer.Ordinal)
    {
        ["read"] = ApiRole.Read,
        ["analyze"] = ApiRole.Analyze,
        ["annotate"] = ApiRole.Annotate,
        ["admin"] = ApiRole.Admin,
    };

    public static ApiKeyListRule Instance { get; } = new();

    public override string Allowed => "must be a list of { name, role, key_sha256 } entries";

    public override SettingShape Shape => SettingShape.ApiKeys;

    /// <summary>Lowercase hex SHA-256 of the key's UTF-8 bytes, as stored in <c>key_sha256</c>.</summary>
    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out IReadOnlyList<ApiKeyOptions> value)
    {
        var keys = new List<ApiKeyOptions>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new ApiKeyEntryReader(setting, context);
        foreach (var entry in raw.Entries)
        {
            var prefix = $"{setting.Key}[{entry.Index}]";
            var name = entries.Name(prefix, entry);
            var role = entries.Role(prefix, entry);
            var hash = entries.Hash(prefix, entry);
            if (name is null || role is null || hash is null)
            {
                continue;
            }

            if (names.TryGetValue(name, out var firstName))
            {
                context.Report(setting, ConfigErrors.Invalid($"{prefix}.name", entry.Name!, $"duplicate name; already used by {firstName}"));
                continue;
            }

            if (hashes.TryGetValue(hash, out var sameKey))
            {
                context.Report(setting, $"{prefix} ({setting.EnvironmentVariable}){entry.Where}: same key as {sameKey}; each key must be different");
                continue;
            }

            names[name] = prefix;
            hashes[hash] = $"{prefix} ('{name}')";
            keys.Add(new ApiKeyOptions { Name = name, Role = role.Value, KeySha256 = hash });
        }

        value = ValueList<ApiKeyOptions>.From(keys);
        return ParseOutcome.Parsed;
    }

    public static ApiRole? ParseRole(string text) => Roles.TryGetValue(text, out var role) ? role : null;

    public override YamlNode Write(IReadOnlyList<ApiKeyOptions> value)
    {
        var list = new YamlSequenceNode();
        foreach (var key in value)
        {
            list.Add(new YamlMappingNode
            {
                { "name", Quoted(key.Name) },
                { "role", key.Role.ToString().ToLowerInvariant() },
                { "key_sha256", key.KeySha256 },
            });
        }

        if (list.Children.Count == 0)
        {
            list.Style = SequenceStyle.Flow;
        }

        return list;
    }

    /// <summary>Names and roles only: a key, even hashed, is never echoed.</summary>
    public override string Format(IReadOnlyList<ApiKeyOptions> value) =>
        string.Join(",", value.Select(k => $"{k.Name}:{k.Role.ToString().ToLowerInvariant()}"));

    public override string? Check(IReadOnlyList<ApiKeyOptions> value) =>
        value.FirstOrDefault(k => !ValueRules.IsKeyName(k.Name)) is { } badName ? $"{badName.Name}: the name {ValueRules.KeyNameAllowed}"
        : value.FirstOrDefault(k => !Enum.IsDefined(k.Role)) is { } badRole ? $"{badRole.Name}: the role {RoleAllowed}"
        : value.FirstOrDefault(k => !ValueRules.IsSha256Hex(k.KeySha256) || k.KeySha256 != k.KeySha256.ToLowerInvariant()) is { } badHash
            ? $"{badHash.Name}: key_sha256 must be 64 lowercase hex characters (the SHA-256 of the key)"
        : value.CountBy(k => k.Name).FirstOrDefault(c => c.Value > 1) is { Value: > 1 } name ? $"duplicate name {name.Key}; each key needs its own"
        : value.CountBy(k => k.KeySha256).Any(c => c.Value > 1) ? "the same key appears twice; each key must be different"
        : null;
}
