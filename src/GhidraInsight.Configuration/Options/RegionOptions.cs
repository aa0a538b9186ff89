namespace GhidraInsight.Configuration;

/// <summary>
/// The <c>region:</c> section. With <see cref="Enabled"/> false the process is a plain single region; with it true, the
/// process is one of <see cref="Regions"/>, probes the others, replicates to <see cref="ReplicationRegions"/> and forwards
/// strong writes to <see cref="PrimaryRegion"/>. Value-equal (lists in order, endpoints as a set); <see cref="ToString"/>
/// never shows the secret.
/// </summary>
public sealed record RegionOptions
{
    /// <summary>Whether this process is one region of several (seed name <c>GHIDRA_REGION_ENABLED</c>).</summary>
    public bool Enabled { get; init; }

    /// <summary>This process's region (seed name <c>GHIDRA_REGION_CURRENT</c>).</summary>
    public string CurrentRegion { get; init; } = "local";

    /// <summary>Every region of the deployment, in failover preference order (key <c>regions</c>).</summary>
    public IReadOnlyList<string> Regions { get; init => field = ValueList<string>.From(value); } = ValueList<string>.Empty;

    /// <summary>Base URL of each region's HTTP port, by region name (key <c>endpoints</c>).</summary>
    public IReadOnlyDictionary<string, Uri> Endpoints { get; init => field = ValueMap<string, Uri>.From(value); } = ValueMap<string, Uri>.Empty;

    /// <summary>The preferred primary (seed name <c>GHIDRA_REGION_PRIMARY</c>); defaults to the first of <see cref="Regions"/>. Reloadable.</summary>
    public string? PrimaryRegion { get; init; }

    /// <summary>Whether writes are replicated to other regions (seed name <c>GHIDRA_REGION_REPLICATION_ENABLED</c>).</summary>
    public bool ReplicationEnabled { get; init; }

    /// <summary>Regions this one pushes its writes to (key <c>replication_regions</c>); default: all the others.</summary>
    public IReadOnlyList<string> ReplicationRegions { get; init => field = ValueList<string>.From(value); } = ValueList<string>.Empty;

    /// <summary>
    /// <c>async</c> (default) or <c>sync</c> (key <c>replication_mode</c>); on PostgreSQL, Patroni's <c>synchronous_mode</c>. Reloadable.
    /// </summary>
    public ReplicationMode ReplicationMode { get; init; } = ReplicationMode.Async;

    /// <summary>Whether the regions promote a new primary on their own when the primary fails (key <c>failover_enabled</c>).</summary>
    public bool FailoverEnabled { get; init; }

    /// <summary>Timeout of every call to another region, seconds (key <c>cross_region_timeout</c>).</summary>
    public int CrossRegionTimeoutSeconds { get; init; } = 30;

    /// <summary>Seconds between health probes of each other region (key <c>health_check_interval</c>). Reloadable.</summary>
    public int HealthCheckIntervalSeconds { get; init; } = 5;

    /// <summary>Consecutive failed probes that mark a region down (key <c>failure_threshold</c>). Reloadable.</summary>
    public int FailureThreshold { get; init; } = 2;

    /// <summary>Consecutive good probes that mark a down region up again (key <c>success_threshold</c>). Reloadable.</summary>
    public int SuccessThreshold { get; init; } = 2;

    /// <summary>Milliseconds between failover checks of the primary (key <c>failover_check_interval_ms</c>). Reloadable.</summary>
    public int FailoverCheckIntervalMs { get; init; } = 250;

    /// <summary>Lower Raft election timeout, milliseconds; the upper one is twice it (key <c>election_timeout_ms</c>).</summary>
    public int ElectionTimeoutMs { get; init; } = 500;

    /// <summary>How long a switchover waits for the new primary to catch up, seconds (key <c>switchover_timeout</c>).</summary>
    public int SwitchoverTimeoutSeconds { get; init; } = 30;

    /// <summary>A voting member that stores no data, making two regions an odd group of three (key <c>witness</c>).</summary>
    public string? Witness { get; init; }

    /// <summary>
    /// Seconds an unacknowledged replication entry is kept for a target before that target is declared past retention
    /// (key <c>outbox_retention</c>; default 7 days).
    /// </summary>
    public int OutboxRetentionSeconds { get; init; } = 7 * 24 * 3600;

    /// <summary>
    /// Unacknowledged entries per target beyond which it is past retention (key <c>outbox_max_entries</c>); 0 sets no size limit.
    /// </summary>
    public long OutboxMaxEntries { get; init; } = 1_000_000;

    /// <summary>File holding the shared inter-region secret (key <c>secret_file</c>); relative to the config file.</summary>
    public string? SecretFile { get; init; }

    /// <summary>
    /// The shared inter-region secret itself, from <c>GHIDRA_REGION__SECRET</c> or read from <see cref="SecretFile"/> at load
    /// (trimmed). Never written back by <see cref="ConfigWriter"/>.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>
    /// File holding the previous inter-region secret during a rotation (key <c>previous_secret_file</c>): requests signed with it
    /// are still accepted, and a peer that refuses the current secret is asked again with it; nothing is signed with it otherwise.
    /// </summary>
    public string? PreviousSecretFile { get; init; }

    /// <summary>The previous secret itself, from <c>GHIDRA_REGION__PREVIOUS_SECRET</c> or read from <see cref="PreviousSecretFile"/>; never written.</summary>
    public string? PreviousSecret { get; init; }

    /// <summary>
    /// PEM bundle of the CA(s) that sign the regions' certificates (key <c>ca_file</c>): <c>https://</c> endpoints are verified
    /// against it instead of the system's trust store, and with mutual TLS so are the peers' client certificates.
    /// </summary>
    public string? CaFile { get; init; }

    /// <summary>
    /// PEM client certificate this region presents to its peers (key <c>client_cert_file</c>). Set, it turns mutual TLS on: the
    /// region also requires a client certificate signed by <see cref="CaFile"/> on its inter-region endpoints.
    /// </summary>
    public string? ClientCertFile { get; init; }

    /// <summary>PEM private key of <see cref="ClientCertFile"/> (key <c>client_key_file</c>).</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>Whether mutual TLS between regions is on.</summary>
    public bool UsesMutualTls => ClientCertFile is not null && ClientKeyFile is not null;

    /// <summary>Every member of the primary election: the regions, then the witness if there is one.</summary>
    public IReadOnlyList<string> Voters => Witness is null ? Regions : [.. Regions, Witness];

    /// <summary>Whether this process is the witness (it votes, stores nothing and serves no API).</summary>
    public bool IsWitness => Witness is not null && CurrentRegion == Witness;

    /// <summary>The primary, defaulting to the first region.</summary>
    public string EffectivePrimary => PrimaryRegion ?? (Regions.Count > 0 ? Regions[0] : CurrentRegion);

    /// <summary>Every declared key by its property name, the secret as <c>***</c>, so logging options never leaks it.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder) => RegionSettings.Section.PrintMembers(this, builder);
}
