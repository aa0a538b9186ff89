namespace GhidraInsight.Regions.Replication;

/// <summary>Replication towards one target region.</summary>
/// <param name="Pending">Outbox entries the target has not acknowledged.</param>
/// <param name="LagMs">Age of the oldest unacknowledged entry, milliseconds; 0 when none.</param>
/// <param name="LastError">The last delivery error; null once a delivery succeeds.</param>
/// <param name="SentTotal">Entries acknowledged by the target since this process started.</param>
public sealed record ReplicationTargetStatus(long Pending, double LagMs, string? LastError, long SentTotal);
