namespace GhidraInsight.Configuration;

/// <summary>The <c>storage:</c> section.</summary>
public sealed record StorageOptions
{
    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    public string Provider { get; init; } = "sqlite";

    /// <summary>
    /// The region's folder: the SQLite database, or with PostgreSQL the raw binaries this region received. Absolute after loading
    /// (a relative value in a config file is taken from the file's folder).
    /// </summary>
    public string DataDir { get; init; } = "./data/local";

    /// <summary>With <c>postgres</c>: the connection string naming every region's database host, without the password.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>With <c>postgres</c>: a file holding the database password (key <c>password_file</c>); relative to the config file.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>The database password, from <c>GHIDRA_STORAGE__PASSWORD</c> or read from <see cref="PasswordFile"/>; never written.</summary>
    public string? Password { get; init; }

    /// <summary>With <c>postgres</c>: this region's own database (<c>host</c> or <c>host:port</c>), where reads go; unset: the first host that answers.</summary>
    public string? ReadHost { get; init; }

    /// <summary>
    /// With <c>postgres</c> and several regions: this region's Patroni REST API (<c>http://127.0.0.1:8008</c>). The region whose
    /// database is Patroni's leader is the primary; Patroni's member names are the region names.
    /// </summary>
    public string? PatroniUrl { get; init; }

    /// <summary>With <c>postgres</c>: how long a write is retried while no primary takes it, then 503 PRIMARY_UNAVAILABLE.</summary>
    public int WriteDeadlineMs { get; init; } = 10_000;

    /// <summary>Largest raw binary kept, bytes.</summary>
    public long MaxBinaryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Free space kept in the data folder's file system for small writes: below it the region refuses new uploads and replicated
    /// analyses (503 STORAGE_FULL) while annotations and deletions still fit. 0 watches without refusing.
    /// </summary>
    public long ReserveBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Days an audit entry is kept (key <c>audit_retention_days</c>); older ones are removed hourly.</summary>
    public int AuditRetentionDays { get; init; } = 400;

    /// <summary>Analyses kept in the in-memory cache.</summary>
    public int CacheEntries { get; init; } = 256;

    /// <summary>Whether the store is PostgreSQL.</summary>
    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.Ordinal);
}
