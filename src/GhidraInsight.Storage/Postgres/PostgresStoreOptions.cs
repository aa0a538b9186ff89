namespace GhidraInsight.Storage;

/// <summary>How a region reaches the PostgreSQL cluster (<c>storage.provider: postgres</c>).</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>
    /// An Npgsql connection string naming every region's database host (<c>Host=db-us:5432,db-eu:5432;Database=…;Username=…</c>).
    /// Writes go to whichever of them is the primary. A password in it is refused: it belongs in <see cref="Password"/>.
    /// </summary>
    public required string ConnectionString { get; init; }

    /// <summary>The password (from a file or the environment, never from the configuration file); null when the server needs none.</summary>
    public string? Password { get; init; }

    /// <summary>This region's own database (<c>host</c> or <c>host:port</c>), where reads go; null: reads go to the first host that answers.</summary>
    public string? LocalHost { get; init; }

    /// <summary>The region's data folder: raw binaries stay here, in the region that received them, not in the database.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Larger binaries are refused with <see cref="BinaryTooLargeException"/>.</summary>
    public long MaxBinaryBytes { get; init; } = 256L << 20;

    /// <summary>How long a write is retried while no primary takes it (a failover) before <see cref="PrimaryUnavailableException"/>.</summary>
    public TimeSpan WriteDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the hosts' roles are rechecked, so a promoted standby takes writes soon after its promotion (Npgsql's own
    /// default is 10 s).
    /// </summary>
    public TimeSpan HostRecheck { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for stored times; <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? Time { get; init; }
}
