namespace GhidraInsight.Configuration;

/// <summary>
/// One configuration key: its dotted YAML path (<c>server.port</c>), its environment variable (<c>GHIDRA_SERVER__PORT</c>) and,
/// for a few region keys, the older seed variable that is honoured too (<c>GHIDRA_REGION_CURRENT</c>).
/// </summary>
/// <param name="Key">Dotted snake_case path, <c>section.key</c>, as written in <c>config.yaml</c> and used for flags.</param>
/// <param name="EnvironmentVariable"><c>GHIDRA_&lt;SECTION&gt;__&lt;KEY&gt;</c>, upper case.</param>
/// <param name="SeedEnvironmentVariable">An older single-underscore name, read when <paramref name="EnvironmentVariable"/> is unset.</param>
public sealed record ConfigName(string Key, string EnvironmentVariable, string? SeedEnvironmentVariable = null)
{
    /// <summary>The YAML section, e.g. <c>server</c>.</summary>
    public string Section => Key[..Key.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>The key inside its section, e.g. <c>port</c>.</summary>
    public string Name => Key[(Key.IndexOf('.', StringComparison.Ordinal) + 1)..];

    public override string ToString() => $"{Key} ({EnvironmentVariable})";
}
