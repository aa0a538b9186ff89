using Microsoft.Extensions.Configuration;

namespace GhidraInsight.Configuration;

/// <summary>
/// Loads <c>config.yaml</c> through <see cref="YamlSettingsReader"/>: values flattened to <c>section:key[:item]</c>, each
/// with its line, and every problem (syntax, unknown key, wrong shape, a secret in the file) recorded instead of thrown.
/// </summary>
internal sealed class YamlConfigurationProvider(YamlConfigurationSource source) : FileConfigurationProvider(source), ISettingSource
{
    private SettingData _data = new();

    /// <summary>The problems of the last read, or the one that the file is gone now (a watched file may be deleted).</summary>
    public IReadOnlyList<SettingProblem> Problems => FileProblem(open: false) is { } problem ? [problem] : _data.Problems;

    public SettingOrigin? OriginOf(string path) => _data.Origins.GetValueOrDefault(path);

    public override void Load()
    {
        if (FileProblem(open: true) is { } problem)
        {
            _data = new SettingData();
            _data.Problem(problem.Message);
            Data = _data.Values;
            return;
        }

        base.Load();
    }

    public override void Load(Stream stream)
    {
        using var reader = new StreamReader(stream);
        _data = new YamlSettingsReader(source.DisplayPath, source.BaseDirectory).Read(reader);
        Data = _data.Values;
    }

    private SettingProblem? FileProblem(bool open)
    {
        var path = source.DisplayPath;
        var named = $"config file '{path}' (--config or {ConfigNames.ConfigFileEnvironmentVariable})";
        if (Directory.Exists(source.FullPath))
        {
            return new SettingProblem($"{named} is a folder, not a file");
        }

        if (!File.Exists(source.FullPath))
        {
            return new SettingProblem($"{named} not found");
        }

        try
        {
            if (open)
            {
                using var probe = File.OpenRead(source.FullPath);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SettingProblem($"{named} cannot be read: {e.Message}");
        }
    }
}
