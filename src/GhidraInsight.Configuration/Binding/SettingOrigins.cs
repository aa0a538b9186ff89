namespace GhidraInsight.Configuration;

/// <summary>The origins of one bound configuration; filled while binding, read by the validators and the reload.</summary>
internal sealed class SettingOrigins : ISettingOrigins
{
    private readonly Dictionary<ConfigName, RawSetting> _raw = [];
    private readonly HashSet<ConfigName> _failed = [];
    private readonly HashSet<ConfigName> _reported = [];
    private readonly HashSet<ConfigName> _incomplete = [];

    /// <summary>No origins: every value counts as set in code.</summary>
    public static SettingOrigins None { get; } = new();

    public RawSetting? Get(ConfigName setting) => _raw.GetValueOrDefault(setting);

    public bool Failed(ConfigName setting) => _failed.Contains(setting);

    public bool Reported(ConfigName setting) => _reported.Contains(setting);

    public bool Incomplete(ConfigName setting) => _incomplete.Contains(setting);

    public void Record(ConfigName setting, RawSetting raw) => _raw[setting] = raw;

    public void MarkFailed(ConfigName setting) => _failed.Add(setting);

    public void MarkReported(ConfigName setting) => _reported.Add(setting);

    public void MarkIncomplete(ConfigName setting) => _incomplete.Add(setting);

    /// <summary>
    /// The origins of a reloaded configuration: those of <paramref name="candidate"/>, except for the keys in
    /// <paramref name="keptRunning"/>, whose running values (and so running origins) stay until a restart.
    /// </summary>
    public static SettingOrigins Merge(SettingOrigins running, SettingOrigins candidate, IReadOnlyCollection<ConfigName> keptRunning)
    {
        var merged = new SettingOrigins();
        foreach (var setting in ConfigNames.All)
        {
            var from = keptRunning.Contains(setting) ? running : candidate;
            if (from.Get(setting) is { } raw)
            {
                merged.Record(setting, raw);
            }

            if (from.Failed(setting))
            {
                merged.MarkFailed(setting);
            }

            if (from.Reported(setting))
            {
                merged.MarkReported(setting);
            }

            if (from.Incomplete(setting))
            {
                merged.MarkIncomplete(setting);
            }
        }

        return merged;
    }
}
