namespace GhidraInsight.Storage.Tests.Support;

/// <summary>
/// Both parts of a store under test behind one object, for short tests: writes pass the harness's current epoch explicitly
/// (a test raises <see cref="StoreHarness.Epoch"/> to stand for a failover), everything else forwards as it is.
/// </summary>
internal sealed class TestStore(IRegionStore storage, Func<long> epoch) : IAsyncDisposable
{
    public IAnalysisStore Analyses => storage.Analyses;

    /// <summary>The embedded store's replication log (the replication contracts run on the embedded store only).</summary>
    public IReplicationLog Replication => (storage as RegionStorage)?.Replication
        ?? throw new NotSupportedException($"{storage.GetType().Name} has no replication log of its own.");

    public IChangeFeed Changes => storage.Changes;

    public IAuditTrail Audit => storage.Audit;

    public Task InitializeAsync() => storage.InitializeAsync();

    public Task<bool> SaveAnalysisAsync(NewAnalysis analysis, CancellationToken cancellationToken = default) =>
        storage.Analyses.SaveAnalysisAsync(analysis, epoch(), cancellationToken);

    public Task<bool> ReplaceAnalysisAsync(NewAnalysis analysis, CancellationToken cancellationToken = default) =>
        storage.Analyses.ReplaceAnalysisAsync(analysis, epoch(), cancellationToken);

    public Task<bool> DeleteAnalysisAsync(string id, CancellationToken cancellationToken = default) =>
        storage.Analyses.DeleteAnalysisAsync(id, epoch(), cancellationToken);

    public Task<AnnotationWrite> PutAnnotationAsync(string id, ulong address, AnnotationInput input, long? expectedVersion,
        CancellationToken cancellationToken = default) =>
        storage.Analyses.PutAnnotationAsync(id, address, input, expectedVersion, epoch(), cancellationToken);

    public Task<StoredAnalysis?> GetAnalysisAsync(string id) => storage.Analyses.GetAnalysisAsync(id);

    public Task<bool> NameAnalysisAsync(string id, string name) => storage.Analyses.NameAnalysisAsync(id, name, epoch());

    public Task<IReadOnlyList<AnalysisSummary>> ListAnalysesAsync(int limit, string? after, string? query = null) =>
        storage.Analyses.ListAnalysesAsync(limit, after, query);

    public Task<byte[]?> GetBinaryAsync(string id) => storage.Analyses.GetBinaryAsync(id);

    /// <summary>Every annotation of the analysis (up to a thousand), in address order.</summary>
    public Task<IReadOnlyList<Annotation>> GetAnnotationsAsync(string id) => storage.Analyses.GetAnnotationsAsync(id, 1000);

    public Task<Annotation?> GetAnnotationAsync(string id, ulong address) => storage.Analyses.GetAnnotationAsync(id, address);

    public Task<long> CountAnalysesAsync() => storage.Analyses.CountAnalysesAsync();

    public Task CheckHealthAsync(CancellationToken cancellationToken = default) => storage.Analyses.CheckHealthAsync(cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterSequence, int limit) => Replication.ReadOutboxAsync(afterSequence, limit);

    public Task<long> GetLastOutboxSequenceAsync() => Replication.GetLastOutboxSequenceAsync();

    public Task<ReplicationApply> ApplyReplicatedAsync(string originRegion, IReadOnlyList<OutboxEntry> entries) =>
        Replication.ApplyReplicatedAsync(originRegion, entries);

    public Task<IReadOnlyList<ConflictRecord>> ListConflictsAsync(int limit, long? after = null) => Replication.ListConflictsAsync(limit, after);

    public Task<long> CountConflictsAsync() => Replication.CountConflictsAsync();

    public Task<long> GetHighWaterMarkAsync(string originRegion) => Replication.GetHighWaterMarkAsync(originRegion);

    public Task<long> GetReplicationCursorAsync(string targetRegion) => Replication.GetReplicationCursorAsync(targetRegion);

    public Task SetReplicationCursorAsync(string targetRegion, long sequence) => Replication.SetReplicationCursorAsync(targetRegion, sequence);

    public Task<ReplicationBacklog> GetBacklogAsync(long afterSequence) => Replication.GetBacklogAsync(afterSequence);

    public ValueTask DisposeAsync() => storage.DisposeAsync();
}
