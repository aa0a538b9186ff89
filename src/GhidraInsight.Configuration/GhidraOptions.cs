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

/// <summary>
/// The <c>region:</c> section. With <see cref="Enabled"/> false the process is a plain single region, as before; with it
/// true, the process is one of <see cref="Regions"/>, probes the others, replicates to <see cref="ReplicationRegions"/>
/// and forwards strong writes to <see cref="PrimaryRegion"/>.
/// </summary>
public sealed record RegionOptions
{
    public bool Enabled { get; init; }
    public string CurrentRegion { get; init; } = "local";
    /// <summary>Every region of the deployment, in failover preference order (key <c>regions</c>).</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];
    /// <summary>Base URL of each region's HTTP port, by region name (key <c>endpoints</c>).</summary>
    public IReadOnlyDictionary<string, Uri> Endpoints { get; init; } = new Dictionary<string, Uri>();
    /// <summary>The region that takes strong writes (seed name <c>GHIDRA_REGION_PRIMARY</c>); defaults to the first of <see cref="Regions"/>.</summary>
    public string? PrimaryRegion { get; init; }
    /// <summary>Whether writes are replicated to other regions (seed name <c>GHIDRA_REGION_REPLICATION_ENABLED</c>).</summary>
    public bool ReplicationEnabled { get; init; }
    /// <summary>Regions this one pushes its writes to (key <c>replication_regions</c>); default: all the others.</summary>
    public IReadOnlyList<string> ReplicationRegions { get; init; } = [];
    /// <summary><c>async</c> (default) or <c>sync</c> (key <c>replication_mode</c>).</summary>
    public ReplicationMode ReplicationMode { get; init; } = ReplicationMode.Async;
    /// <summary>Whether the regions promote a new primary on their own when the primary fails (key <c>failover_enabled</c>).</summary>
    public bool FailoverEnabled { get; init; }
    /// <summary>Timeout of every call to another region, seconds (key <c>cross_region_timeout</c>).</summary>
    public int CrossRegionTimeoutSeconds { get; init; } = 30;
    /// <summary>Seconds between health probes of each other region (key <c>health_check_interval</c>).</summary>
    public int HealthCheckIntervalSeconds { get; init; } = 5;
    /// <summary>Consecutive failed probes that mark a region down (key <c>failure_threshold</c>).</summary>
    public int FailureThreshold { get; init; } = 2;
    /// <summary>Consecutive good probes that mark a down region up again (key <c>success_threshold</c>).</summary>
    public int SuccessThreshold { get; init; } = 2;
    /// <summary>Milliseconds between failover checks of the primary (key <c>failover_check_interval_ms</c>).</summary>
    public int FailoverCheckIntervalMs { get; init; } = 250;
    /// <summary>Lower Raft election timeout, milliseconds; the upper one is twice it (key <c>election_timeout_ms</c>).</summary>
    public int ElectionTimeoutMs { get; init; } = 500;
    /// <summary>How long a switchover waits for the new primary to catch up, seconds (key <c>switchover_timeout</c>).</summary>
    public int SwitchoverTimeoutSeconds { get; init; } = 30;
    /// <summary>A voting member that stores no data, making two regions an odd group of three (key <c>witness</c>).</summary>
    public string? Witness { get; init; }
    /// <summary>File holding the shared inter-region secret (key <c>secret_file</c>); relative to the config file.</summary>
    public string? SecretFile { get; init; }
    /// <summary>
    /// The shared inter-region secret itself, from <c>GHIDRA_REGION__SECRET</c> or read from <see cref="SecretFile"/> at load
    /// (trimmed). Never written back by <c>ConfigWriter</c> when it came from a file.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>Every member of the primary election: the regions, then the witness if there is one.</summary>
    public IReadOnlyList<string> Voters => Witness is null ? Regions : [.. Regions, Witness];

    /// <summary>Whether this process is the witness (it votes, stores nothing and serves no API).</summary>
    public bool IsWitness => Witness is not null && CurrentRegion == Witness;

    /// <summary>The primary, defaulting to the first region.</summary>
    public string EffectivePrimary => PrimaryRegion ?? (Regions.Count > 0 ? Regions[0] : CurrentRegion);

    /// <summary>Equal when every value is equal, lists in order and endpoints as sets (a record alone would compare them by reference).</summary>
    public bool Equals(RegionOptions? other) =>
        other is not null
        && Enabled == other.Enabled
        && CurrentRegion == other.CurrentRegion
        && Regions.SequenceEqual(other.Regions)
        && Endpoints.Count == other.Endpoints.Count
        && Endpoints.All(e => other.Endpoints.TryGetValue(e.Key, out var url) && url == e.Value)
        && PrimaryRegion == other.PrimaryRegion
        && ReplicationEnabled == other.ReplicationEnabled
        && ReplicationRegions.SequenceEqual(other.ReplicationRegions)
        && ReplicationMode == other.ReplicationMode
        && FailoverEnabled == other.FailoverEnabled
        && CrossRegionTimeoutSeconds == other.CrossRegionTimeoutSeconds
        && HealthCheckIntervalSeconds == other.HealthCheckIntervalSeconds
        && FailureThreshold == other.FailureThreshold
        && SuccessThreshold == other.SuccessThreshold
        && FailoverCheckIntervalMs == other.FailoverCheckIntervalMs
        && ElectionTimeoutMs == other.ElectionTimeoutMs
        && SwitchoverTimeoutSeconds == other.SwitchoverTimeoutSeconds
        && Witness == other.Witness
        && SecretFile == other.SecretFile
        && Secret == other.Secret;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Enabled);
        hash.Add(CurrentRegion);
        foreach (var region in Regions)
        {
            hash.Add(region);
        }

        hash.Add(Endpoints.Count);
        hash.Add(PrimaryRegion);
        hash.Add(ReplicationEnabled);
        hash.Add(ReplicationMode);
        hash.Add(SecretFile);
        return hash.ToHashCode();
    }

    /// <summary>Readable lists and endpoints; the secret is shown as <c>***</c> so logging options never leaks it.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Enabled = {Enabled}, CurrentRegion = {CurrentRegion}, Regions = [{string.Join(", ", Regions)}], ")
            .Append($"Endpoints = {{{string.Join(", ", Endpoints.Select(e => $"{e.Key}: {e.Value}"))}}}, PrimaryRegion = {PrimaryRegion}, ")
            .Append($"ReplicationEnabled = {ReplicationEnabled}, ReplicationRegions = [{string.Join(", ", ReplicationRegions)}], ")
            .Append($"ReplicationMode = {ReplicationMode}, FailoverEnabled = {FailoverEnabled}, ")
            .Append($"CrossRegionTimeoutSeconds = {CrossRegionTimeoutSeconds}, HealthCheckIntervalSeconds = {HealthCheckIntervalSeconds}, ")
            .Append($"FailureThreshold = {FailureThreshold}, SuccessThreshold = {SuccessThreshold}, ")
            .Append($"FailoverCheckIntervalMs = {FailoverCheckIntervalMs}, ElectionTimeoutMs = {ElectionTimeoutMs}, ")
            .Append($"SwitchoverTimeoutSeconds = {SwitchoverTimeoutSeconds}, Witness = {Witness}, SecretFile = {SecretFile}, ")
            .Append($"Secret = {(Secret is null ? "" : "***")}");
        return true;
    }
}

/// <summary>When a write is acknowledged.</summary>
public enum ReplicationMode
{
    /// <summary>As soon as it is stored locally; replication follows (lag well under a second).</summary>
    Async,
    /// <summary>Only after at least one other region stored it durably.</summary>
    Sync,
}
