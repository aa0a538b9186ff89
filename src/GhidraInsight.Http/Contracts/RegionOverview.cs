namespace GhidraInsight.Http.Contracts;

/// <summary>One region in <see cref="RegionsOverview"/>.</summary>
/// <param name="Name">The region.</param>
/// <param name="Healthy">Serving, as the answering side sees it.</param>
/// <param name="WhyOut">Why it is not serving (the last probe's error); null while it serves.</param>
/// <param name="LatencyMs">The last probe's latency; null before the first (0 for the answering region itself).</param>
/// <param name="LastCheck">When it was last probed.</param>
/// <param name="Role"><c>primary</c>, <c>replica</c> or <c>witness</c>.</param>
/// <param name="Epoch">The epoch of the primary it reported; null where that is not known here.</param>
/// <param name="AcceptingStrongWrites">Whether it accepts strong writes now; null where that is not known here.</param>
/// <param name="Replication">
/// Its replication towards each other region (lag, pending, past retention, last error) as it last reported; empty when that is not
/// known here (a peer of the answering region, or a region never reached).
/// </param>
public sealed record RegionOverview(
    string Name,
    bool Healthy,
    string? WhyOut,
    double? LatencyMs,
    DateTimeOffset? LastCheck,
    string Role,
    long? Epoch,
    bool? AcceptingStrongWrites,
    IReadOnlyDictionary<string, ReplicationHealth> Replication);
