using YamlDotNet.RepresentationModel;

namespace GhidraInsight.Configuration;

/// <summary>
/// A PostgreSQL connection string (<c>Host=db-us:5432,db-eu:5432;Database=…;Username=…</c>): <c>key=value</c> pairs that name at
/// least one host and hold no password (it belongs in <c>storage.password_file</c> or the environment, so it never shows in
/// the configuration or its errors). Blank counts as unset. Npgsql judges the rest when the store opens.
/// </summary>
internal sealed class ConnectionStringRule : SettingRule<string?>
{
    private static readonly string[] PasswordKeys = ["password", "pwd"];
    private static readonly string[] HostKeys = ["host", "server"];

    public override string Allowed => "must be a PostgreSQL connection string of key=value pairs naming the hosts (Host=db-us:5432,db-eu:5432;Database=ghidrainsight;Username=ghidra)";

    public override ParseOutcome Parse(ConfigName setting, RawSetting raw, BindingContext context, out string? value)
    {
        value = raw.Value.Text.Trim();
        if (value.Length == 0)
        {
            value = null;
            return ParseOutcome.Absent;
        }

        var keys = Keys(value);
        if (keys is not null && keys.Any(k => PasswordKeys.Contains(k)))
        {
            context.Report(setting, ConfigErrors.InvalidSecret(setting.Key, raw.Value,
                "must not hold the password; put it in a file named by storage.password_file or set GHIDRA_STORAGE__PASSWORD"));
            value = null;
            return ParseOutcome.Failed;
        }

        if (Check(value) is { } problem)
        {
            context.Report(setting, ConfigErrors.Invalid(setting.Key, raw.Value, problem));
            value = null;
            return ParseOutcome.Failed;
        }

        return ParseOutcome.Parsed;
    }

    public override YamlNode? Write(string? value) => value is null ? null : Quoted(value);

    public override string Format(string? value) => value ?? "";

    public override string? Check(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var keys = Keys(value);
        return keys is null || !keys.Any(k => HostKeys.Contains(k)) || keys.Any(k => PasswordKeys.Contains(k)) ? Allowed : null;
    }

    /// <summary>The keys, lowercase without spaces; null when a part is not <c>key=value</c>.</summary>
    private static List<string>? Keys(string text)
    {
        var keys = new List<string>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            keys.Add(part[..equals].Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant());
        }

        return keys;
    }
}
