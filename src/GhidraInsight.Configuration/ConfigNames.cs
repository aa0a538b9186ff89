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

    /// <summary>All keys, in the order they are documented and written.</summary>
    public static readonly IReadOnlyList<ConfigName> All =
    [
        ServerHost, ServerPort, ServerMaxUploadBytes, ServerAnalysisConcurrency, ServerAnalysisQueueLimit,
        ServerAnalysisTimeoutSeconds, ServerRequestTimeoutSeconds, ServerRateLimitPerMinute,
        StorageProvider, StorageDataDir, StorageConnectionString, StorageMaxBinaryBytes, StorageCacheEntries,
        AuthApiKeys,
        RegionEnabled, RegionCurrentRegion, RegionPrimaryRegion, RegionReplicationEnabled,
    ];

    /// <summary>The YAML sections, in order.</summary>
    public static readonly IReadOnlyList<string> Sections = ["server", "storage", "auth", "region"];

    /// <summary>The key with this dotted path, or <see langword="null"/>.</summary>
    public static ConfigName? Find(string key) => All.FirstOrDefault(n => string.Equals(n.Key, key, StringComparison.Ordinal));

    /// <summary>The keys of one section, for "known keys in server: …" messages.</summary>
    public static IEnumerable<ConfigName> InSection(string section) =>
        All.Where(n => string.Equals(n.Section, section, StringComparison.Ordinal));
}
