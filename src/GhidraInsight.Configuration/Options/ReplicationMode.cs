namespace GhidraInsight.Configuration;

/// <summary>When a write is acknowledged.</summary>
public enum ReplicationMode
{
    /// <summary>As soon as it is stored locally; replication follows (lag well under a second).</summary>
    Async,

    /// <summary>Only after at least one other region stored it durably.</summary>
    Sync,
}
