namespace GhidraInsight.Configuration;

/// <summary>One problem a source found, as the one line reported, and the key it concerns if it concerns one.</summary>
/// <param name="Message">The line: key, variable, value, what is allowed, where.</param>
/// <param name="Setting">The key, or <see langword="null"/> (an unknown key, a syntax error).</param>
internal sealed record SettingProblem(string Message, ConfigName? Setting = null);
