namespace GhidraInsight.Regions.Replication;

/// <summary>Replication towards one target region.</summary>
/// <param name="Pending">Outbox entries the target has not acknowledged (still held).</param>
/// <param name="LagMs">Age of the oldest unacknowledged entry, milliseconds; 0 when none.</param>
/// <param name="LastError">The last delivery error; null once a delivery succeeds.</param>
/// <param name="SentTotal">Entries acknowledged by the target since this process started.</param>
/// <param name="PastRetention">
/// Behind longer than <c>outbox_retention</c>, by more than <c>outbox_max_entries</c>, or already missing pruned entries: its
/// entries no longer hold back pruning, and it is resynced from a snapshot when it answers.
/// </param>
public sealed record ReplicationTargetStatus(long Pending, double LagMs, string? LastError, long SentTotal, bool PastRetention)
{
    /// <summary>The wire form <c>/health</c> and the diagnostics report (lag rounded to microseconds).</summary>
    public Http.Contracts.ReplicationHealth ToHealth() => new(Math.Round(LagMs, 3), Pending, PastRetention, LastError);
}
