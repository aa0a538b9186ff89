using Microsoft.Extensions.Configuration;

namespace GhidraInsight.Configuration;

/// <summary>
/// <c>GHIDRA_&lt;SECTION&gt;__&lt;KEY&gt;</c> variables, else a key's seed name (<c>GHIDRA_REGION_CURRENT</c>); an empty
/// variable counts as unset. A misspelt variable of a known section (<c>GHIDRA_SERVER__PROT</c>) is a problem; other
/// <c>GHIDRA_*</c> variables (Ghidra's own) are not ours.
/// </summary>
internal sealed class EnvironmentSettingsProvider(IReadOnlyDictionary<string, string> environment) : ConfigurationProvider, ISettingSource
{
    private SettingData _data = new();

    public IReadOnlyList<SettingProblem> Problems => _data.Problems;

    public SettingOrigin? OriginOf(string path) => _data.Origins.GetValueOrDefault(path);

    public override void Load()
    {
        var data = new SettingData();
        foreach (var setting in ConfigNames.All)
        {
            var variable = Present(setting.EnvironmentVariable) ? setting.EnvironmentVariable
                : setting.SeedEnvironmentVariable is { } seed && Present(seed) ? seed
                : null;
            if (variable is not null)
            {
                OverrideText.Add(data, setting, environment[variable], variable, "");
            }
        }

        ReportUnknownVariables(data);
        _data = data;
        Data = data.Values;
    }

    private void ReportUnknownVariables(SettingData data)
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
                data.Problem($"{variable}: unknown environment variable; known in {section}: "
                    + string.Join(", ", ConfigNames.InSection(section).Select(n => n.EnvironmentVariable)));
            }
        }
    }

    private bool Present(string variable) => environment.TryGetValue(variable, out var text) && text.Length > 0;
}
