namespace GhidraInsight.Storage;

/// <summary>
/// The writes made through a region's <see cref="IAnalysisStore"/>, in commit order: one change per write that changed something,
/// recorded in the same transaction as the data. A reader keeps the last sequence it has seen and asks for what came after it,
/// to invalidate what it cached. On SQLite these are the outbox entries; on PostgreSQL, the <c>changes</c> table, which a
/// standby reads from its own copy (NOTIFY does not reach standbys).
/// </summary>
public interface IChangeFeed
{
    /// <summary>Changes with a sequence above <paramref name="afterSequence"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoreChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence recorded so far (0 when none): where a new reader starts.</summary>
    Task<long> GetLastChangeSequenceAsync(CancellationToken cancellationToken = default);
}
