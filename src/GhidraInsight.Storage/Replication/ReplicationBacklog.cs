namespace GhidraInsight.Storage;

/// <summary>What is waiting to be delivered to one target: count, and the creation time of the oldest entry (null when none).</summary>
public sealed record ReplicationBacklog(long Pending, DateTimeOffset? OldestCreatedAt);
