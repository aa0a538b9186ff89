namespace GhidraInsight.Storage;

/// <summary>
/// What every kind of region store offers: the domain store and the feed of its writes. The embedded kind
/// (<see cref="RegionStorage"/>) adds our own replication log; the PostgreSQL kind (<see cref="PostgresStorage"/>) leaves
/// replication to the database.
/// </summary>
public interface IRegionStore : IAsyncDisposable
{
    /// <summary>Analyses, binaries and annotations.</summary>
    IAnalysisStore Analyses { get; }

    /// <summary>The writes made through <see cref="Analyses"/>, in commit order.</summary>
    IChangeFeed Changes { get; }

    /// <summary>The audit trail: strong writes and admin calls, by key name, replicated with the data.</summary>
    IAuditTrail Audit { get; }

    /// <summary>Creates or upgrades the schema; call once before anything else.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);
}
