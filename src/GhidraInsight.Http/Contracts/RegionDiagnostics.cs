using System.Text.Json.Serialization;

namespace GhidraInsight.Http.Contracts;

/// <summary>
/// What one region knows of its own state for <c>ghidrainsight doctor</c> (<c>GET /api/internal/diagnostics</c>, signed, and
/// inside <c>GET /api/diagnostics</c>): its configuration, its links to every other region as it sees them now, replication,
/// the primary and the consensus leader, its data folder, and in PostgreSQL mode its database's role next to Patroni's.
/// </summary>
/// <param name="Region">The region that answered.</param>
/// <param name="Time">Its clock when it answered.</param>
/// <param name="Host">The machine it runs on, and <see cref="ProcessId"/> its process there (for <c>drill --kill</c>).</param>
/// <param name="ProcessId">Its process id.</param>
/// <param name="UpProcessId">The <c>ghidrainsight up</c> that started it, when one did.</param>
/// <param name="Regions">Every region of the deployment, as its configuration lists them.</param>
/// <param name="Endpoints">Where it reaches each region (<c>region.endpoints</c>), itself included.</param>
/// <param name="ConfiguredPrimary">Its <c>primary_region</c> (null: the first region).</param>
/// <param name="ConfigurationError">Why the last reload of its configuration was refused (it runs on the one before); null when none was.</param>
/// <param name="Primary">The primary it knows; null before one was elected.</param>
/// <param name="Epoch">The primary's epoch.</param>
/// <param name="AcceptingStrongWrites">Whether it accepts strong writes now.</param>
/// <param name="Consensus"><c>raft</c> (embedded mode), <c>patroni</c> (PostgreSQL mode) or <c>none</c> (failover off).</param>
/// <param name="Leader">The consensus leader it knows (Raft's leader, or the member holding Patroni's leader key); null when none.</param>
/// <param name="Replication">Per replication target: lag, pending entries, past the outbox retention, last error.</param>
/// <param name="Peers">Its link to every other region, checked with a signed request when it answered.</param>
/// <param name="Storage">Its data folder; null on a witness.</param>
/// <param name="Database">In PostgreSQL mode, its database's role and Patroni's role for its member.</param>
public sealed record RegionDiagnostics(
    string Region,
    DateTimeOffset Time,
    string Host,
    int ProcessId,
    int? UpProcessId,
    IReadOnlyList<string> Regions,
    IReadOnlyDictionary<string, Uri> Endpoints,
    string? ConfiguredPrimary,
    string? ConfigurationError,
    string? Primary,
    long Epoch,
    bool AcceptingStrongWrites,
    string Consensus,
    string? Leader,
    IReadOnlyDictionary<string, ReplicationHealth> Replication,
    IReadOnlyDictionary<string, PeerLink> Peers,
    StorageDiagnostics? Storage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DatabaseRoles? Database = null)
{
    /// <summary>The variable <c>ghidrainsight up</c> sets, for the processes it starts, to its own process id (<see cref="UpProcessId"/>).</summary>
    public const string UpProcessVariable = "GHIDRAINSIGHT_UP_PID";
}

/// <summary>One region's link to another: reached, signature accepted, round trip, and how far apart their clocks are.</summary>
/// <param name="Reachable">An answer came (any status).</param>
/// <param name="Authenticated">The other region accepted this region's signed request (same region secret, clocks within the window).</param>
/// <param name="RoundTripMs">The request's round trip.</param>
/// <param name="ClockSkewMs">The other region's clock minus this one's (at the middle of the round trip); null when unknown.</param>
/// <param name="Error">What went wrong, in one line: unreachable, or the refusal's code (<c>bad_signature</c>, <c>stale</c>, …).</param>
public sealed record PeerLink(
    bool Reachable,
    bool Authenticated,
    double? RoundTripMs,
    double? ClockSkewMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <summary>A region's data folder: where, how much is free, and the reserve below which it refuses uploads.</summary>
public sealed record StorageDiagnostics(string Provider, string Folder, long? FreeBytes, long ReserveBytes);

/// <summary>
/// In PostgreSQL mode: the role the region's own database has (<c>primary</c> or <c>replica</c>, from <c>pg_is_in_recovery()</c>)
/// and the role Patroni records for its member in the cluster (<c>primary</c> for the leader, else <c>replica</c>); null when it
/// could not be read, with <see cref="Error"/>. <see cref="Paused"/>: Patroni is in maintenance mode (no automatic failover).
/// </summary>
public sealed record DatabaseRoles(
    string? Database,
    string? Patroni,
    bool Paused = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <summary>A region's clock (<c>GET /api/internal/clock</c>, signed): the cheapest signed round trip, for links and clock skew.</summary>
public sealed record RegionClock(string Region, DateTimeOffset Time);

/// <summary>
/// <c>GET /api/diagnostics</c>: every region's <see cref="RegionDiagnostics"/>, collected by the region that answered; a region it
/// could not get them from has <see cref="RegionDiagnosticsEntry.Error"/> instead.
/// </summary>
public sealed record DeploymentDiagnostics(string AnsweredBy, IReadOnlyDictionary<string, RegionDiagnosticsEntry> Regions);

/// <summary>One region in <see cref="DeploymentDiagnostics"/>: its report, or why there is none.</summary>
public sealed record RegionDiagnosticsEntry(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RegionDiagnostics? Report,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);
