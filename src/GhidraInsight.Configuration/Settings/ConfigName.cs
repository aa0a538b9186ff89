namespace GhidraInsight.Configuration;

/// <summary>
/// One configuration key, declared once with everything said about it: its dotted path (<c>server.port</c>), its
/// environment variable (derived: <c>GHIDRA_SERVER__PORT</c>), the older seed variable honoured for a few region keys,
/// what is allowed, and whether it is written by <see cref="ConfigWriter"/>, secret, or reloadable without a restart.
/// The typed declarations (parse rule, property, default) live in the project's <c>Settings</c> tables.
/// </summary>
public abstract class ConfigName
{
    private protected ConfigName(string key, string allowed, SettingShape shape, string? shapeAllowed, string? entryAllowed)
    {
        Key = key;
        Allowed = allowed;
        Shape = shape;
        ShapeAllowed = shapeAllowed;
        EntryAllowed = entryAllowed;
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        Section = key[..dot];
        Name = key[(dot + 1)..];
        // A key in a group (server.tls.cert_file) nests in YAML and in the variable alike: GHIDRA_SERVER__TLS__CERT_FILE.
        EnvironmentVariable = $"GHIDRA_{Section.ToUpperInvariant()}__{Name.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant()}";
    }

    /// <summary>Dotted snake_case path, <c>section.key</c>, as written in <c>config.yaml</c> and used for flags.</summary>
    public string Key { get; }

    /// <summary>The YAML section, e.g. <c>server</c>.</summary>
    public string Section { get; }

    /// <summary>The key inside its section, e.g. <c>port</c>, or <c>tls.cert_file</c> for a key of a group within the section.</summary>
    public string Name { get; }

    /// <summary><c>GHIDRA_&lt;SECTION&gt;__&lt;KEY&gt;</c>, upper case.</summary>
    public string EnvironmentVariable { get; }

    /// <summary>An older single-underscore name, read when <see cref="EnvironmentVariable"/> is unset.</summary>
    public string? SeedEnvironmentVariable { get; internal init; }

    /// <summary>What a value may be, as said in error messages (e.g. <c>must be an integer from 0 to 65535</c>).</summary>
    public string Allowed { get; }

    /// <summary>Whether a reload (changed config file, or <see cref="GhidraConfiguration.Reload"/>) applies a new value at once.</summary>
    public bool IsReloadable { get; internal init; }

    /// <summary>
    /// Whether the value is a secret: accepted from the environment only (never from the config file, where it would be
    /// committed, nor as a flag, where process listings show it), never echoed, never written.
    /// </summary>
    public bool IsSecret { get; internal init; }

    /// <summary>Whether <see cref="ConfigWriter"/> writes the key.</summary>
    public bool IsWritten { get; internal init; } = true;

    /// <summary>The configuration path of the key, <c>section:key</c>.</summary>
    internal string Path => $"{Section}:{Name.Replace('.', ':')}";

    /// <summary>How the value is written: one value, a list, a mapping, or the API key list.</summary>
    internal SettingShape Shape { get; }

    /// <summary>Said when a YAML value has the wrong shape (e.g. a mapping where a list of region names belongs).</summary>
    internal string? ShapeAllowed { get; }

    /// <summary>Said when an environment or flag entry of a mapping is not <c>name=value</c>.</summary>
    internal string? EntryAllowed { get; }

    /// <summary>For a secret, the key of the file that may hold it instead (named in the refusals).</summary>
    internal string? SecretFileKey { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Key} ({EnvironmentVariable})";
}
