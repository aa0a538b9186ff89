namespace GhidraInsight.Configuration;

/// <summary>Reads the overrides on top of the file: <c>GHIDRA_*</c> environment variables, then flags by dotted key.</summary>
internal static class OverrideReader
{
    private const string FlagWhere = " (command-line flag)";

    public static void ReadEnvironment(IReadOnlyDictionary<string, string> environment, RawSettings settings, List<string> errors)
    {
        foreach (var name in ConfigNames.All)
        {
            // An empty variable counts as unset, as compose files and shells often leave them.
            var variable = Present(environment, name.EnvironmentVariable) ? name.EnvironmentVariable
                : name.SeedEnvironmentVariable is { } seed && Present(environment, seed) ? seed
                : null;
            if (variable is not null)
            {
                Apply(name, new RawValue(environment[variable], variable, ""), settings);
            }
        }

        ReportUnknownVariables(environment, errors);
    }

    public static void ReadFlags(IReadOnlyDictionary<string, string> flags, RawSettings settings, List<string> errors)
    {
        foreach (var (key, text) in flags)
        {
            var name = ConfigNames.Find(key);
            if (name is null)
            {
                var section = key.Split('.')[0];
                errors.Add(ConfigNames.Sections.Contains(section)
                    ? ConfigErrors.UnknownKey(key, FlagWhere, section, ConfigNames.InSection(section).Select(n => n.Name))
                    : $"{key}{FlagWhere}: unknown key; known sections: {string.Join(", ", ConfigNames.Sections)}");
                continue;
            }

            if (name == ConfigNames.RegionSecret)
            {
                errors.Add($"{name.Key} ({name.EnvironmentVariable}){FlagWhere}: not accepted as a flag, where it would show in "
                    + $"process listings; set {name.EnvironmentVariable} or name a file holding it in {ConfigNames.RegionSecretFile.Key}");
                continue;
            }

            Apply(name, new RawValue(text, name.EnvironmentVariable, FlagWhere), settings);
        }
    }

    private static void Apply(ConfigName name, RawValue value, RawSettings settings)
    {
        if (name == ConfigNames.AuthApiKeys)
        {
            settings.ApiKeys = ParseApiKeys(value);
        }
        else
        {
            settings.Set(name, value);
        }
    }

    /// <summary><c>name:role:key,name2:role:key2</c>; the key is everything after the second colon.</summary>
    private static List<RawApiKey> ParseApiKeys(RawValue value)
    {
        var keys = new List<RawApiKey>();
        foreach (var entry in value.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(':', 3, StringSplitOptions.TrimEntries);
            RawValue Part(int i) => value with { Text = parts[i] };
            keys.Add(parts.Length == 3
                ? new RawApiKey(keys.Count, value.Where, Part(0), Part(1), Part(2), null)
                : new RawApiKey(keys.Count, value.Where, null, null, null, null) { Malformed = value with { Text = entry } });
        }

        return keys;
    }

    /// <summary>A misspelt <c>GHIDRA_SERVER__PROT</c> is an error; other <c>GHIDRA_*</c> variables (Ghidra's own) are not ours.</summary>
    private static void ReportUnknownVariables(IReadOnlyDictionary<string, string> environment, List<string> errors)
    {
        foreach (var variable in environment.Keys.Order(StringComparer.Ordinal))
        {
            var separator = variable.IndexOf("__", StringComparison.Ordinal);
            if (!variable.StartsWith("GHIDRA_", StringComparison.Ordinal) || separator < 0)
            {
                continue;
            }

            var section = variable["GHIDRA_".Length..separator].ToLowerInvariant();
            if (ConfigNames.Sections.Contains(section) && !ConfigNames.All.Any(n => n.EnvironmentVariable == variable))
            {
                errors.Add($"{variable}: unknown environment variable; known in {section}: "
                    + string.Join(", ", ConfigNames.InSection(section).Select(n => n.EnvironmentVariable)));
            }
        }
    }

    private static bool Present(IReadOnlyDictionary<string, string> environment, string variable) =>
        environment.TryGetValue(variable, out var text) && text.Length > 0;
}
