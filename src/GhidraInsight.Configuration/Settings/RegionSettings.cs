namespace GhidraInsight.Configuration;

/// <summary>
/// The keys of <c>region:</c>, each declared once. Every value is checked for its type whatever <c>region.enabled</c>
/// says; <see cref="RegionOptionsValidator"/> checks them against each other once it is true.
/// </summary>
internal static class RegionSettings
{
    public const int MinSecretLength = 16;
    private const int MaxSeconds = 3600;

    public static readonly Setting<RegionOptions, bool> Enabled =
        new("region.enabled", BooleanRule.Instance, o => o.Enabled, (o, v) => o with { Enabled = v }) { SeedEnvironmentVariable = "GHIDRA_REGION_ENABLED" };

    public static readonly Setting<RegionOptions, string> CurrentRegion =
        new("region.current_region", TextRule.RegionName, o => o.CurrentRegion, (o, v) => o with { CurrentRegion = v })
        {
            SeedEnvironmentVariable = "GHIDRA_REGION_CURRENT",
        };

    /// <summary>Reloadable: a changed preferred primary is a controlled switchover, not a restart.</summary>
    public static readonly Setting<RegionOptions, string?> PrimaryRegion =
        new("region.primary_region", new OptionalRule<string>(TextRule.RegionName), o => o.PrimaryRegion, (o, v) => o with { PrimaryRegion = v })
        {
            SeedEnvironmentVariable = "GHIDRA_REGION_PRIMARY",
            IsReloadable = true,
        };

    public static readonly Setting<RegionOptions, bool> ReplicationEnabled =
        new("region.replication_enabled", BooleanRule.Instance, o => o.ReplicationEnabled, (o, v) => o with { ReplicationEnabled = v })
        {
            SeedEnvironmentVariable = "GHIDRA_REGION_REPLICATION_ENABLED",
        };

    /// <summary>Every region, in failover order. YAML: a list; environment and flag: comma-separated <c>us-east-1,eu-west-1</c>.</summary>
    public static readonly Setting<RegionOptions, IReadOnlyList<string>> Regions =
        new("region.regions", RegionListRule.Instance, o => o.Regions, (o, v) => o with { Regions = v });

    /// <summary>
    /// Each region's base URL. YAML: a mapping <c>us-east-1: http://127.0.0.1:3101</c>; environment and flag:
    /// comma-separated <c>us-east-1=http://127.0.0.1:3101,eu-west-1=http://127.0.0.1:3102</c>.
    /// </summary>
    public static readonly Setting<RegionOptions, IReadOnlyDictionary<string, Uri>> Endpoints =
        new("region.endpoints", EndpointMapRule.Instance, o => o.Endpoints, (o, v) => o with { Endpoints = v });

    /// <summary>Regions written to; absent, all the others once replication is on (and then left out of a written file).</summary>
    public static readonly Setting<RegionOptions, IReadOnlyList<string>> ReplicationRegions =
        new("region.replication_regions", RegionListRule.Instance, o => o.ReplicationRegions, (o, v) => o with { ReplicationRegions = v })
        {
            DerivedDefault = o => ValueList<string>.From(o.ReplicationEnabled ? o.Regions.Where(r => r != o.CurrentRegion) : []),
            OmitWhenDerived = true,
        };

    public static readonly Setting<RegionOptions, ReplicationMode> ReplicationMode = new(
        "region.replication_mode",
        new ChoiceRule<ReplicationMode>([("async", Configuration.ReplicationMode.Async), ("sync", Configuration.ReplicationMode.Sync)], "must be async or sync"),
        o => o.ReplicationMode,
        (o, v) => o with { ReplicationMode = v })
    {
        // Read per strong write, and in PostgreSQL mode kept in Patroni's synchronous_mode by the primary region.
        IsReloadable = true,
    };

    public static readonly Setting<RegionOptions, bool> FailoverEnabled =
        new("region.failover_enabled", BooleanRule.Instance, o => o.FailoverEnabled, (o, v) => o with { FailoverEnabled = v });

    public static readonly Setting<RegionOptions, int> CrossRegionTimeout = new(
        "region.cross_region_timeout", new IntegerRule<int>(1, MaxSeconds), o => o.CrossRegionTimeoutSeconds, (o, v) => o with { CrossRegionTimeoutSeconds = v });

    public static readonly Setting<RegionOptions, int> HealthCheckInterval = new(
        "region.health_check_interval", new IntegerRule<int>(1, MaxSeconds), o => o.HealthCheckIntervalSeconds, (o, v) => o with { HealthCheckIntervalSeconds = v })
    {
        IsReloadable = true,
    };

    public static readonly Setting<RegionOptions, int> FailureThreshold =
        new("region.failure_threshold", new IntegerRule<int>(1), o => o.FailureThreshold, (o, v) => o with { FailureThreshold = v }) { IsReloadable = true };

    public static readonly Setting<RegionOptions, int> SuccessThreshold =
        new("region.success_threshold", new IntegerRule<int>(1), o => o.SuccessThreshold, (o, v) => o with { SuccessThreshold = v }) { IsReloadable = true };

    /// <summary>Milliseconds between the failover checks every region makes of the primary (<c>failure_threshold</c> of them in a row fail it).</summary>
    public static readonly Setting<RegionOptions, int> FailoverCheckIntervalMs = new(
        "region.failover_check_interval_ms", new IntegerRule<int>(20, 60_000), o => o.FailoverCheckIntervalMs, (o, v) => o with { FailoverCheckIntervalMs = v })
    {
        IsReloadable = true,
    };

    /// <summary>Lower bound of the Raft election timeout in milliseconds (the upper bound is twice it).</summary>
    public static readonly Setting<RegionOptions, int> ElectionTimeoutMs = new(
        "region.election_timeout_ms", new IntegerRule<int>(50, 60_000), o => o.ElectionTimeoutMs, (o, v) => o with { ElectionTimeoutMs = v });

    /// <summary>Seconds a switchover waits for the new primary to catch up before it gives up with an error.</summary>
    public static readonly Setting<RegionOptions, int> SwitchoverTimeout = new(
        "region.switchover_timeout", new IntegerRule<int>(1, MaxSeconds), o => o.SwitchoverTimeoutSeconds, (o, v) => o with { SwitchoverTimeoutSeconds = v });

    /// <summary>A member that votes in primary elections and stores no data (needs an entry in <c>endpoints</c>; not one of <c>regions</c>).</summary>
    public static readonly Setting<RegionOptions, string?> Witness =
        new("region.witness", new OptionalRule<string>(TextRule.RegionName), o => o.Witness, (o, v) => o with { Witness = v });

    /// <summary>Seconds an unacknowledged replication entry is kept for a target before that target is past retention.</summary>
    public static readonly Setting<RegionOptions, int> OutboxRetention = new(
        "region.outbox_retention", new IntegerRule<int>(60), o => o.OutboxRetentionSeconds, (o, v) => o with { OutboxRetentionSeconds = v });

    /// <summary>Unacknowledged entries per target beyond which it is past retention; 0 sets no size limit.</summary>
    public static readonly Setting<RegionOptions, long> OutboxMaxEntries = new(
        "region.outbox_max_entries", new IntegerRule<long>(0), o => o.OutboxMaxEntries, (o, v) => o with { OutboxMaxEntries = v });

    /// <summary>
    /// File holding the inter-region secret; relative to the config file (from env or flag: to the current folder). Reloadable, and
    /// the file is read again on every reload: a secret is rotated by changing the file and sending SIGHUP.
    /// </summary>
    public static readonly Setting<RegionOptions, string?> SecretFile = new(
        "region.secret_file",
        new OptionalRule<string>(new PathRule("must be the path of a file holding the inter-region secret")),
        o => o.SecretFile,
        (o, v) => o with { SecretFile = v })
    {
        IsReloadable = true,
    };

    /// <summary>The inter-region secret itself: environment only, never written; else read from <see cref="SecretFile"/>.</summary>
    public static readonly Setting<RegionOptions, string?> Secret =
        new("region.secret", new SecretRule(), o => o.Secret, (o, v) => o with { Secret = v })
        {
            IsSecret = true,
            IsWritten = false,
            IsReloadable = true,
            SecretFileKey = "region.secret_file",
        };

    /// <summary>File holding the previous secret during a rotation (still accepted, never used first). Reloadable.</summary>
    public static readonly Setting<RegionOptions, string?> PreviousSecretFile = new(
        "region.previous_secret_file",
        new OptionalRule<string>(new PathRule("must be the path of a file holding the previous inter-region secret")),
        o => o.PreviousSecretFile,
        (o, v) => o with { PreviousSecretFile = v })
    {
        IsReloadable = true,
    };

    /// <summary>The previous secret itself: environment only, never written; else read from <see cref="PreviousSecretFile"/>.</summary>
    public static readonly Setting<RegionOptions, string?> PreviousSecret =
        new("region.previous_secret", new SecretRule(), o => o.PreviousSecret, (o, v) => o with { PreviousSecret = v })
        {
            IsSecret = true,
            IsWritten = false,
            IsReloadable = true,
            SecretFileKey = "region.previous_secret_file",
        };

    public static readonly Setting<RegionOptions, string?> CaFile = new("region.ca_file", TlsFiles.Authority, o => o.CaFile, (o, v) => o with { CaFile = v });

    public static readonly Setting<RegionOptions, string?> ClientCertFile =
        new("region.client_cert_file", TlsFiles.Certificate, o => o.ClientCertFile, (o, v) => o with { ClientCertFile = v });

    public static readonly Setting<RegionOptions, string?> ClientKeyFile =
        new("region.client_key_file", TlsFiles.Key, o => o.ClientKeyFile, (o, v) => o with { ClientKeyFile = v });

    public static readonly OptionsSection<RegionOptions> Section = new("region", o => o.Region, (o, s) => o with { Region = s },
        [
            Enabled, CurrentRegion, PrimaryRegion, ReplicationEnabled, Regions, Endpoints, ReplicationRegions, ReplicationMode, FailoverEnabled,
            CrossRegionTimeout, HealthCheckInterval, FailureThreshold, SuccessThreshold, FailoverCheckIntervalMs, ElectionTimeoutMs,
            SwitchoverTimeout, Witness, OutboxRetention, OutboxMaxEntries, SecretFile, Secret, PreviousSecretFile, PreviousSecret,
            CaFile, ClientCertFile, ClientKeyFile,
        ])
    {
        AfterBind = RegionSecretFile.Read,
    };
}
