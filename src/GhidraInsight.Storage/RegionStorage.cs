namespace GhidraInsight.Storage;

/// <summary>
/// A region's store as its two parts over one database: the domain store and the replication log. Disposing it releases the
/// database (the parts share it).
/// </summary>
public sealed class RegionStorage(IAnalysisStore analyses, IReplicationLog replication) : IAsyncDisposable
{
    /// <summary>Analyses, binaries and annotations.</summary>
    public IAnalysisStore Analyses { get; } = analyses;

    /// <summary>Outbox, cursors, high-water marks, replicated writes, snapshots and conflicts.</summary>
    public IReplicationLog Replication { get; } = replication;

    /// <summary>Creates or upgrades the schema; call once before anything else.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Analyses.InitializeAsync(cancellationToken);

    public ValueTask DisposeAsync() => Analyses.DisposeAsync();
}
