namespace GhidraInsight.Regions.Replication;

/// <summary>The answer to a replication batch: the highest of the origin's sequences the target has stored (<c>{"applied_through": N}</c>).</summary>
public sealed record ReplicationAck(long AppliedThrough);
