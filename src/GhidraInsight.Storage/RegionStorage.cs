namespace GhidraInsight.Storage;

/// <summary>
/// The embedded region store: the domain store and our replication log over one SQLite file. Disposing it releases the
/// database (the parts share it).
/// </summary>
public sealed class RegionStorage(IAnalysisStore analyses, IReplicationLog replication, IChangeFeed changes, IAuditTrail audit) : IRegionStore
{
    /// <inheritdoc />
    public IAuditTrail Audit { get; } = audit;

    /// <inheritdoc />
    public IAnalysisStore Analyses { get; } = analyses;

    /// <summary>Outbox, cursors, high-water marks, replicated writes, snapshots and conflicts.</summary>
    public IReplicationLog Replication { get; } = replication;

    /// <inheritdoc />
    public IChangeFeed Changes { get; } = changes;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Analyses.InitializeAsync(cancellationToken);

    public ValueTask DisposeAsync() => Analyses.DisposeAsync();
}
