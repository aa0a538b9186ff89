using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Gateway.Destinations;

/// <summary>What the gateway knows about one region at one moment.</summary>
/// <param name="Name">The region.</param>
/// <param name="Endpoint">Its base URL.</param>
/// <param name="Healthy">In rotation: its last probe succeeded (and enough in a row after it was out), and no request since failed on transport.</param>
/// <param name="LatencyMs">The last probe's latency.</param>
/// <param name="SmoothedLatencyMs">EWMA of probe and read latencies: the "nearest" order.</param>
/// <param name="LastCheck">When it was last probed.</param>
/// <param name="WhyOut">Why it is out of rotation; null while in.</param>
/// <param name="Role">The role it reported (primary, replica, witness).</param>
/// <param name="Primary">The primary it reported.</param>
/// <param name="Epoch">The epoch of that primary.</param>
/// <param name="AcceptingStrongWrites">Whether it reported accepting strong writes.</param>
/// <param name="Replication">Its replication towards each other region (lag, pending, errors), as it last reported.</param>
internal sealed record GatewayRegionSnapshot(
    string Name,
    Uri Endpoint,
    bool Healthy,
    double? LatencyMs,
    double? SmoothedLatencyMs,
    DateTimeOffset? LastCheck,
    string? WhyOut,
    string? Role,
    string? Primary,
    long Epoch,
    bool AcceptingStrongWrites,
    IReadOnlyDictionary<string, ReplicationHealth> Replication);
