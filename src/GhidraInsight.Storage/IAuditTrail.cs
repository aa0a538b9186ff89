namespace GhidraInsight.Storage;

/// <summary>
/// The audit trail of a region's store: what was done, by which key, with what result. Entries are recorded by the region that
/// carried the action out and replicate with the data (the outbox in the embedded store, the database's own replication with
/// PostgreSQL). Ids order entries by time (within a region, exactly in the order they were made), so a page continues after the
/// last id of the previous one.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Records <paramref name="entry"/>; recording the same id again changes nothing.</summary>
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> entries in id (time) order, after <paramref name="after"/> when given.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, string? after = null, CancellationToken cancellationToken = default);

    /// <summary>Removes up to <paramref name="maxEntries"/> entries older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, int maxEntries, CancellationToken cancellationToken = default);
}
