namespace GhidraInsight.Regions.Failover;

/// <summary>One change of primary, as committed by the regions' Raft group.</summary>
/// <param name="At">When the leader proposed it.</param>
/// <param name="From">The primary before.</param>
/// <param name="To">The primary after.</param>
/// <param name="Epoch">The epoch <paramref name="To"/> is primary of.</param>
/// <param name="Reason"><c>health</c>, <c>manual</c> or <c>config</c> (<see cref="FailoverReasons"/>).</param>
public sealed record FailoverRecord(DateTimeOffset At, string From, string To, long Epoch, string Reason)
{
    /// <summary>Its wire form (<c>/api/regions</c>, <c>/api/failovers</c>).</summary>
    public Http.Contracts.FailoverEvent ToEvent() => new(At, From, To, Epoch, Reason);
}
