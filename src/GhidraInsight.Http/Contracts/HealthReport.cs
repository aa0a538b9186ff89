using System.Text.Json.Serialization;

namespace GhidraInsight.Http.Contracts;

/// <summary>
/// <c>GET /health</c>: whether the region can serve, how long the check took, who is primary as it knows, and how replication
/// to each target stands. Load balancers, the gateway, other regions and the CLI read it.
/// </summary>
/// <param name="Status"><see cref="Healthy"/>, <see cref="Degraded"/> (serving, but something needs attention) or <see cref="Unhealthy"/> (HTTP 503).</param>
/// <param name="Region">The region that answered.</param>
/// <param name="LatencyMs">How long the checks took.</param>
/// <param name="Role"><c>primary</c>, <c>replica</c> or <c>witness</c>.</param>
/// <param name="Primary">The primary region this region knows; null before the regions elected one.</param>
/// <param name="Epoch">The primary's epoch.</param>
/// <param name="AcceptingStrongWrites">Whether this region accepts strong writes now (the confirmed primary).</param>
/// <param name="Leader">The consensus leader (the Raft leader), or null when there is none or no election.</param>
/// <param name="Replication">Per replication target: lag, pending entries, and what is wrong if anything.</param>
/// <param name="Error">Why the region is unhealthy or degraded, when it is.</param>
public sealed record HealthReport(
    string Status,
    string Region,
    double LatencyMs,
    string Role,
    string? Primary,
    long Epoch,
    bool AcceptingStrongWrites,
    string? Leader,
    IReadOnlyDictionary<string, ReplicationHealth> Replication,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null)
{
    /// <summary>Serving normally.</summary>
    public const string Healthy = "healthy";

    /// <summary>Serving, but saturated or a replication target is not taking writes.</summary>
    public const string Degraded = "degraded";

    /// <summary>Cannot serve (the store fails); answered with HTTP 503.</summary>
    public const string Unhealthy = "unhealthy";
}
