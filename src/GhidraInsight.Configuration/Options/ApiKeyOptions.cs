namespace GhidraInsight.Configuration;

/// <summary>
/// One API key. Config holds its SHA-256 (<c>key_sha256</c>) or, less safely, the key itself (<c>key</c>), which is hashed
/// at load and not kept.
/// </summary>
public sealed record ApiKeyOptions
{
    /// <summary>Who the key belongs to: 1 to 64 letters, digits, '.', '_' or '-'.</summary>
    public required string Name { get; init; }

    /// <summary>Lowercase hex SHA-256 of the key.</summary>
    public required string KeySha256 { get; init; }

    /// <summary>What the key may do.</summary>
    public required ApiRole Role { get; init; }
}
