namespace GhidraInsight.Configuration;

/// <summary>
/// Implemented by this project's configuration providers besides <c>IConfigurationProvider</c>: what they found wrong
/// while reading (reported, never thrown), and where each path's value came from.
/// </summary>
internal interface ISettingSource
{
    /// <summary>Problems found by the last load, in the order met.</summary>
    IReadOnlyList<SettingProblem> Problems { get; }

    /// <summary>Where the value at <paramref name="path"/> (<c>region:endpoints:eu-west-1</c>) came from.</summary>
    SettingOrigin? OriginOf(string path);
}
