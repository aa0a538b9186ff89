namespace GhidraInsight.Configuration;

/// <summary>Where one configuration path's value came from.</summary>
/// <param name="EnvironmentVariable">The variable actually read, else the key's own (named in errors).</param>
/// <param name="Where">Appended to errors: <c>" (line 3 of config.yaml)"</c>, <c>" (command-line flag)"</c> or empty.</param>
/// <param name="BaseDirectory">Folder a relative path is taken from, or <see langword="null"/> for the current directory.</param>
/// <param name="Order">Position among the source's values, so mapping entries keep the order they were written in.</param>
internal sealed record SettingOrigin(string EnvironmentVariable, string Where, string? BaseDirectory, int Order);
