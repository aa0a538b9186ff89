namespace GhidraInsight.Configuration;

/// <summary>
/// Everything one region process is configured with. Immutable and value-equal; produced by <see cref="ConfigLoader"/> or
/// <see cref="GhidraConfiguration"/>, validated.
/// </summary>
public sealed record GhidraOptions
{
    /// <summary>The <c>server:</c> section.</summary>
    public ServerOptions Server { get; init; } = new();

    /// <summary>The <c>storage:</c> section.</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>The <c>auth:</c> section.</summary>
    public AuthOptions Auth { get; init; } = new();

    /// <summary>The <c>region:</c> section.</summary>
    public RegionOptions Region { get; init; } = new();

    /// <summary>The <c>gateway:</c> section (read by the gateway; a region ignores it).</summary>
    public GatewayOptions Gateway { get; init; } = new();
}
