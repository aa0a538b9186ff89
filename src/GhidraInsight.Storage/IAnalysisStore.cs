namespace GhidraInsight.Storage;

/// <summary>
/// The domain state of one region: analyses (keyed by SHA-256), raw binaries and annotations. Every write takes the primary
/// epoch it was admitted under and appends its replication entry (see <see cref="IReplicationLog"/>) in the same transaction as
/// the data. Implementations are safe for concurrent use and pass the store contract tests (<c>tests/GhidraInsight.Storage.Tests/Contract</c>).
/// </summary>
public interface IAnalysisStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema (versioned migrations). Call once before anything else.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores an analysis and, when given, its binary and name, stamped with <paramref name="epoch"/>. Returns false (and writes
    /// nothing) when the id is already stored; <see cref="NameAnalysisAsync"/> gives such an analysis a name it lacks.
    /// </summary>
    Task<bool> SaveAnalysisAsync(NewAnalysis analysis, long epoch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a stored result with a re-analysis of the same bytes by a newer engine (<see cref="EngineVersions"/>): its result,
    /// engine version, format and arch. The binary, the creation time, the name (the analysis's name only fills a missing one) and
    /// the annotations stay. Returns false, writing nothing,
    /// when the id is not stored or its result is not older than this one. It replicates as a store of the analysis, which every
    /// region applies by the same rule.
    /// </summary>
    Task<bool> ReplaceAnalysisAsync(NewAnalysis analysis, long epoch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives a stored analysis that has no name <paramref name="name"/>, as a write of <paramref name="epoch"/>: the name of the
    /// first upload that had one is kept, so a later one never replaces it. Returns false, writing nothing, when the id is not
    /// stored or already has a name. It replicates as a store of the analysis, which every region applies by the same rule.
    /// </summary>
    Task<bool> NameAnalysisAsync(string id, string name, long epoch, CancellationToken cancellationToken = default);

    Task<StoredAnalysis?> GetAnalysisAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Analyses ordered by id, starting after <paramref name="after"/> (stable paging). With a <paramref name="query"/> (trimmed;
    /// null or blank: every analysis) only those whose name contains it ignoring case (ASCII letters at least), whose id starts
    /// with it (hex text, any case) or whose format equals it ignoring case; its characters, <c>%</c> and <c>_</c> included,
    /// match only themselves.
    /// </summary>
    Task<IReadOnlyList<AnalysisSummary>> ListAnalysesAsync(int limit, string? after, string? query = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an analysis with its binary and annotations, leaving a tombstone stamped with <paramref name="epoch"/>. Returns
    /// false when it was not stored.
    /// </summary>
    Task<bool> DeleteAnalysisAsync(string id, long epoch, CancellationToken cancellationToken = default);

    /// <summary>The raw binary, or null when this store does not hold it.</summary>
    Task<byte[]?> GetBinaryAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Annotations of an analysis in unsigned address order, at most <paramref name="limit"/>, starting after the address
    /// <paramref name="after"/> (null: from the first), so paging is stable while annotations are added.
    /// </summary>
    Task<IReadOnlyList<Annotation>> GetAnnotationsAsync(string id, int limit, ulong? after = null, CancellationToken cancellationToken = default);

    /// <summary>The annotation at one address (a primary-key lookup), or null.</summary>
    Task<Annotation?> GetAnnotationAsync(string id, ulong address, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces the annotation at an address as a write of <paramref name="epoch"/>. With
    /// <paramref name="expectedVersion"/> the write succeeds only when the stored version equals it (0 = must not exist yet);
    /// otherwise it is unconditional.
    /// </summary>
    Task<AnnotationWrite> PutAnnotationAsync(string id, ulong address, AnnotationInput input, long? expectedVersion, long epoch,
        CancellationToken cancellationToken = default);

    Task<long> CountAnalysesAsync(CancellationToken cancellationToken = default);

    /// <summary>Throws when the store cannot serve (file gone, disk full, database locked beyond its timeout).</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken = default);
}
