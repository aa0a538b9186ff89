using Microsoft.Extensions.Configuration;

namespace GhidraInsight.Configuration;

/// <summary>Flags by dotted key. An unknown key is a problem, and so is a secret, which process listings would show.</summary>
internal sealed class FlagSettingsProvider(IReadOnlyList<KeyValuePair<string, string>> flags) : ConfigurationProvider, ISettingSource
{
    public const string Where = " (command-line flag)";

    private SettingData _data = new();

    public IReadOnlyList<SettingProblem> Problems => _data.Problems;

    public SettingOrigin? OriginOf(string path) => _data.Origins.GetValueOrDefault(path);

    public override void Load()
    {
        var data = new SettingData();
        foreach (var (key, text) in flags)
        {
            var setting = ConfigNames.Find(key);
            if (setting is null)
            {
                var section = key.Split('.')[0];
                data.Problem(ConfigNames.Sections.Contains(section)
                    ? ConfigErrors.UnknownKey(key, Where, section, ConfigNames.InSection(section).Select(n => n.Name))
                    : $"{key}{Where}: unknown key; known sections: {string.Join(", ", ConfigNames.Sections)}");
            }
            else if (setting.IsSecret)
            {
                data.Problem($"{setting}{Where}: not accepted as a flag, where it would show in process listings; "
                    + $"set {setting.EnvironmentVariable} or name a file holding it in {setting.SecretFileKey}", setting);
            }
            else
            {
                OverrideText.Add(data, setting, text, setting.EnvironmentVariable, Where);
            }
        }

        _data = data;
        Data = data.Values;
    }
}
