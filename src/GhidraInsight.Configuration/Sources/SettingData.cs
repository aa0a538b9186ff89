namespace GhidraInsight.Configuration;

/// <summary>What one load of a source produced: flattened values by configuration path, their origins, and the problems met.</summary>
internal sealed class SettingData
{
    private readonly List<SettingProblem> _problems = [];

    public Dictionary<string, string?> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, SettingOrigin> Origins { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<SettingProblem> Problems => _problems;

    /// <summary>Sets <paramref name="path"/> to <paramref name="text"/>, remembering where it came from.</summary>
    public void Set(string path, string text, string environmentVariable, string where, string? baseDirectory = null)
    {
        Values[path] = text;
        Origins[path] = new SettingOrigin(environmentVariable, where, baseDirectory, Origins.Count);
    }

    public bool Contains(string path) => Values.ContainsKey(path);

    public void Problem(string message, ConfigName? setting = null) => _problems.Add(new SettingProblem(message, setting));
}
