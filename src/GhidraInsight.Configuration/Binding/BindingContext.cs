namespace GhidraInsight.Configuration;

/// <summary>One binding pass: the sources to read from, the problems found so far (in order), and each key's origin.</summary>
internal sealed class BindingContext(SettingReader reader)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public SettingOrigins Origins { get; } = new();

    public RawSetting? Read(ConfigName setting) => reader.Read(setting);

    /// <summary>Records a problem with <paramref name="setting"/>'s value.</summary>
    public void Report(ConfigName setting, string error)
    {
        _errors.Add(error);
        Origins.MarkReported(setting);
    }

    /// <summary>Records a problem a source found (a syntax error, an unknown key, a value in the wrong shape).</summary>
    public void Report(SettingProblem problem)
    {
        _errors.Add(problem.Message);
        if (problem.Setting is { } setting)
        {
            Origins.MarkReported(setting);
            Origins.MarkIncomplete(setting);
        }
    }
}
