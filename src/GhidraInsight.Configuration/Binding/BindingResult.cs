namespace GhidraInsight.Configuration;

/// <summary>What one binding pass produced: the options (defaults where values were bad), where each value came from, and the problems.</summary>
internal sealed record BindingResult(GhidraOptions Options, SettingOrigins Origins, IReadOnlyList<string> Errors);
