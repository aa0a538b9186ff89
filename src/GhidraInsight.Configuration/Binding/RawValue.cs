namespace GhidraInsight.Configuration;

/// <summary>A value as written, before parsing, with where it came from so an error can point there.</summary>
/// <param name="Text">The text as written.</param>
/// <param name="EnvironmentVariable">The variable to name in errors: the one actually read (a seed name, say), else the key's own.</param>
/// <param name="Where">Appended to errors: <c>" (line 3 of config.yaml)"</c>, <c>" (command-line flag)"</c> or empty.</param>
/// <param name="BaseDirectory">Folder a relative path is taken from (the config file's), or <see langword="null"/> for the current directory.</param>
internal sealed record RawValue(string Text, string EnvironmentVariable, string Where, string? BaseDirectory = null);
