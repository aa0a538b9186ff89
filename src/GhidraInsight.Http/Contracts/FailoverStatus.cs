namespace GhidraInsight.Http.Contracts;

/// <summary>
/// What one region tells the others during a failover (<c>GET /api/internal/failover/status</c>, signed): its view of the
/// primary, whether it accepts strong writes, how far its own outbox goes, and how much of each other region's it applied.
/// </summary>
public sealed record FailoverStatus(
    string Region,
    string Primary,
    long Epoch,
    bool AcceptingStrongWrites,
    long OutboxHead,
    IReadOnlyDictionary<string, long> HighWater)
{
    /// <summary>How much of <paramref name="origin"/>'s outbox this region applied (0 when nothing).</summary>
    public long AppliedFrom(string origin) => HighWater.TryGetValue(origin, out var mark) ? mark : 0;
}
