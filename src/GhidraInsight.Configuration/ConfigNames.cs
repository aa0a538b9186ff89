namespace GhidraInsight.Configuration;

/// <summary>Every configuration key, each paired with its environment variable. Errors name both.</summary>
public static class ConfigNames
{
    /// <summary>Environment variable naming the config file when <c>--config</c> is not given.</summary>
    public const string ConfigFileEnvironmentVariable = "GHIDRA_CONFIG";

    public static readonly ConfigName ServerHost = new("server.host", "GHIDRA_SERVER__HOST");
    public static readonly ConfigName ServerPort = new("server.port", "GHIDRA_SERVER__PORT");
    public static readonly ConfigName ServerMaxUploadBytes = new("server.max_upload_bytes", "GHIDRA_SERVER__MAX_UPLOAD_BYTES");
    public static readonly ConfigName ServerAnalysisConcurrency = new("server.analysis_concurrency", "GHIDRA_SERVER__ANALYSIS_CONCURRENCY");
    public static readonly ConfigName ServerAnalysisQueueLimit = new("server.analysis_queue_limit", "GHIDRA_SERVER__ANALYSIS_QUEUE_LIMIT");
    public static readonly ConfigName ServerAnalysisTimeoutSeconds = new("server.analysis_timeout_seconds", "GHIDRA_SERVER__ANALYSIS_TIMEOUT_SECONDS");
    public static readonly ConfigName ServerRequestTimeoutSeconds = new("server.request_timeout_seconds", "GHIDRA_SERVER__REQUEST_TIMEOUT_SECONDS");
    public static readonly ConfigName ServerRateLimitPerMinute = new("server.rate_limit_per_minute", "GHIDRA_SERVER__RATE_LIMIT_PER_MINUTE");

    public static readonly ConfigName StorageProvider = new("storage.provider", "GHIDRA_STORAGE__PROVIDER");
    public static readonly ConfigName StorageDataDir = new("storage.data_dir", "GHIDRA_STORAGE__DATA_DIR");
    public static readonly ConfigName StorageConnectionString = new("storage.connection_string", "GHIDRA_STORAGE__CONNECTION_STRING");
    public static readonly ConfigName StorageMaxBinaryBytes = new("storage.max_binary_bytes", "GHIDRA_STORAGE__MAX_BINARY_BYTES");
    public static readonly ConfigName StorageCacheEntries = new("storage.cache_entries", "GHIDRA_STORAGE__CACHE_ENTRIES");

    /// <summary>
    /// API keys. In YAML a list of <c>{ name, role, key_sha256 }</c> (or <c>key</c>, plaintext, hashed at load). In the
    /// environment (or the <c>auth.api_keys</c> flag) a comma-separated list <c>name:role:key,name2:role:key2</c> of
    /// plaintext keys: name, then role (<c>read</c>, <c>analyze</c>, <c>annotate</c>, <c>admin</c>), then the key, which may
    /// contain <c>:</c> but not <c>,</c>. Keys from the environment replace those from the file; they are hashed at load
    /// and never kept.
    /// </summary>
    public static readonly ConfigName AuthApiKeys = new("auth.api_keys", "GHIDRA_AUTH__API_KEYS");

    public static readonly ConfigName RegionEnabled = new("region.enabled", "GHIDRA_REGION__ENABLED", "GHIDRA_REGION_ENABLED");
    public static readonly ConfigName RegionCurrentRegion = new("region.current_region", "GHIDRA_REGION__CURRENT_REGION", "GHIDRA_REGION_CURRENT");
    public static readonly ConfigName RegionPrimaryRegion = new("region.primary_region", "GHIDRA_REGION__PRIMARY_REGION", "GHIDRA_REGION_PRIMARY");
    public static readonly ConfigName RegionReplicationEnabled = new("region.replication_enabled", "GHIDRA_REGION__REPLICATION_ENABLED", "GHIDRA_REGION_REPLICATION_ENABLED");

    /// <summary>Every region, in failover order. YAML: a list; environment and flag: comma-separated <c>us-east-1,eu-west-1</c>.</summary>
    public static readonly ConfigName RegionRegions = new("region.regions", "GHIDRA_REGION__REGIONS");

    /// <summary>
    /// Each region's base URL. YAML: a mapping <c>us-east-1: http://127.0.0.1:3101</c>; environment and flag: comma-separated
    /// <c>us-east-1=http://127.0.0.1:3101,eu-west-1=http://127.0.0.1:3102</c>.
    /// </summary>
    public static readonly ConfigName RegionEndpoints = new("region.endpoints", "GHIDRA_REGION__ENDPOINTS");

    /// <summary>Regions written to; YAML list or comma-separated like <see cref="RegionRegions"/>.</summary>
    public static readonly ConfigName RegionReplicationRegions = new("region.replication_regions", "GHIDRA_REGION__REPLICATION_REGIONS");
    public static readonly ConfigName RegionReplicationMode = new("region.replication_mode", "GHIDRA_REGION__REPLICATION_MODE");
    public static readonly ConfigName RegionFailoverEnabled = new("region.failover_enabled", "GHIDRA_REGION__FAILOVER_ENABLED");
    public static readonly ConfigName RegionCrossRegionTimeout = new("region.cross_region_timeout", "GHIDRA_REGION__CROSS_REGION_TIMEOUT");
    public static readonly ConfigName RegionHealthCheckInterval = new("region.health_check_interval", "GHIDRA_REGION__HEALTH_CHECK_INTERVAL");
    public static readonly ConfigName RegionFailureThreshold = new("region.failure_threshold", "GHIDRA_REGION__FAILURE_THRESHOLD");
    public static readonly ConfigName RegionSuccessThreshold = new("region.success_threshold", "GHIDRA_REGION__SUCCESS_THRESHOLD");

    /// <summary>Milliseconds between the failover checks every region makes of the primary (<c>failure_threshold</c> of them in a row fail it).</summary>
    public static readonly ConfigName RegionFailoverCheckIntervalMs = new("region.failover_check_interval_ms", "GHIDRA_REGION__FAILOVER_CHECK_INTERVAL_MS");

    /// <summary>Lower bound of the Raft election timeout in milliseconds (the upper bound is twice it).</summary>
    public static readonly ConfigName RegionElectionTimeoutMs = new("region.election_timeout_ms", "GHIDRA_REGION__ELECTION_TIMEOUT_MS");

    /// <summary>Seconds a switchover waits for the new primary to catch up before it gives up with an error.</summary>
    public static readonly ConfigName RegionSwitchoverTimeout = new("region.switchover_timeout", "GHIDRA_REGION__SWITCHOVER_TIMEOUT");

    /// <summary>A member that votes in primary elections and stores no data (needs an entry in <c>endpoints</c>; not one of <c>regions</c>).</summary>
    public static readonly ConfigName RegionWitness = new("region.witness", "GHIDRA_REGION__WITNESS");

    /// <summary>File holding the inter-region secret; relative to the config file (from env or flag: to the current folder).</summary>
    public static readonly ConfigName RegionSecretFile = new("region.secret_file", "GHIDRA_REGION__SECRET_FILE");

    /// <summary>
    /// The inter-region secret itself: environment only. Refused in the config file (it would end up committed) and as a
    /// flag (it would show in process listings); never written by <c>ConfigWriter</c>.
    /// </summary>
    public static readonly ConfigName RegionSecret = new("region.secret", "GHIDRA_REGION__SECRET");

    /// <summary>All keys, in the order they are documented and written.</summary>
    public static readonly IReadOnlyList<ConfigName> All =
    [
        ServerHost, ServerPort, ServerMaxUploadBytes, ServerAnalysisConcurrency, ServerAnalysisQueueLimit,
        ServerAnalysisTimeoutSeconds, ServerRequestTimeoutSeconds, ServerRateLimitPerMinute,
        StorageProvider, StorageDataDir, StorageConnectionString, StorageMaxBinaryBytes, StorageCacheEntries,
        AuthApiKeys,
        RegionEnabled, RegionCurrentRegion, RegionPrimaryRegion, RegionReplicationEnabled,
        RegionRegions, RegionEndpoints, RegionReplicationRegions, RegionReplicationMode, RegionFailoverEnabled,
        RegionCrossRegionTimeout, RegionHealthCheckInterval, RegionFailureThreshold, RegionSuccessThreshold,
        RegionFailoverCheckIntervalMs, RegionElectionTimeoutMs, RegionSwitchoverTimeout, RegionWitness,
        RegionSecretFile, RegionSecret,
    ];

    /// <summary>The YAML sections, in order.</summary>
    public static readonly IReadOnlyList<string> Sections = ["server", "storage", "auth", "region"];

    /// <summary>The key with this dotted path, or <see langword="null"/>.</summary>
    public static ConfigName? Find(string key) => All.FirstOrDefault(n => string.Equals(n.Key, key, StringComparison.Ordinal));

    /// <summary>The keys of one section, for "known keys in server: …" messages.</summary>
    public static IEnumerable<ConfigName> InSection(string section) =>
        All.Where(n => string.Equals(n.Section, section, StringComparison.Ordinal));
}
