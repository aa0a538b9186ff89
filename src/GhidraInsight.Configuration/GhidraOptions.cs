namespace GhidraInsight.Configuration;

/// <summary>Everything one region process is configured with. Immutable; produced only by <c>ConfigLoader</c>, validated.</summary>
public sealed record GhidraOptions
{
    public ServerOptions Server { get; init; } = new();
    public StorageOptions Storage { get; init; } = new();
    public AuthOptions Auth { get; init; } = new();
    public RegionOptions Region { get; init; } = new();
}

/// <summary>The <c>server:</c> section.</summary>
public sealed record ServerOptions
{
    /// <summary>Address to listen on; anything but loopback requires API keys.</summary>
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 3101;
    /// <summary>Largest upload accepted, bytes (413 above).</summary>
    public long MaxUploadBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>Analyses running at once.</summary>
    public int AnalysisConcurrency { get; init; } = Math.Max(1, Environment.ProcessorCount);
    /// <summary>Analyses waiting beyond the running ones before new ones get 503 with Retry-After.</summary>
    public int AnalysisQueueLimit { get; init; } = 16;
    /// <summary>Time budget of one analysis, seconds.</summary>
    public int AnalysisTimeoutSeconds { get; init; } = 60;
    /// <summary>Whole-request timeout, seconds.</summary>
    public int RequestTimeoutSeconds { get; init; } = 120;
    /// <summary>Requests per minute per API key (or per client address without keys); 0 turns the limit off.</summary>
    public int RateLimitPerMinute { get; init; } = 600;
}

/// <summary>The <c>storage:</c> section.</summary>
public sealed record StorageOptions
{
    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c> (not available yet).</summary>
    public string Provider { get; init; } = "sqlite";
    /// <summary>Folder of the SQLite database; absolute after loading (a relative value in a config file is taken from the file's folder).</summary>
    public string DataDir { get; init; } = "./data/local";
    public string ConnectionString { get; init; } = "";
    /// <summary>Largest raw binary kept, bytes.</summary>
    public long MaxBinaryBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>Analyses kept in the in-memory cache.</summary>
    public int CacheEntries { get; init; } = 256;
}

/// <summary>The <c>auth:</c> section.</summary>
public sealed record AuthOptions
{
    public IReadOnlyList<ApiKeyOptions> ApiKeys { get; init; } = [];

    /// <summary>Equal when the keys are equal in order (a record alone would compare the list by reference).</summary>
    public bool Equals(AuthOptions? other) => other is not null && ApiKeys.SequenceEqual(other.ApiKeys);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var key in ApiKeys)
        {
            hash.Add(key);
        }

        return hash.ToHashCode();
    }
}

/// <summary>
/// One API key. Config holds its SHA-256 (<c>key_sha256</c>) or, less safely, the key itself (<c>key</c>), which is hashed
/// at load and not kept.
/// </summary>
public sealed record ApiKeyOptions
{
    public required string Name { get; init; }
    /// <summary>Lowercase hex SHA-256 of the key.</summary>
    public required string KeySha256 { get; init; }
    public required ApiRole Role { get; init; }
}

/// <summary>Roles, each including the ones before it.</summary>
public enum ApiRole
{
    Read = 1,
    Analyze = 2,
    Annotate = 3,
    Admin = 4,
}

/// <summary>The <c>region:</c> section (multi-region keys arrive with the multi-region work).</summary>
public sealed record RegionOptions
{
    public bool Enabled { get; init; }
    public string CurrentRegion { get; init; } = "local";
    /// <summary>The region that takes writes; <see langword="null"/> until the multi-region work decides (seed name <c>GHIDRA_REGION_PRIMARY</c>).</summary>
    public string? PrimaryRegion { get; init; }
    /// <summary>Whether writes are replicated to other regions (seed name <c>GHIDRA_REGION_REPLICATION_ENABLED</c>).</summary>
    public bool ReplicationEnabled { get; init; }
}
