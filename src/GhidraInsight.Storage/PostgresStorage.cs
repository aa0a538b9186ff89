using GhidraInsight.Storage.Postgres;

namespace GhidraInsight.Storage;

/// <summary>
/// The production region store (<c>storage.provider: postgres</c>): analyses, annotations, tombstones and the change feed in
/// PostgreSQL, which replicates them to every region by streaming replication; raw binaries in the region's own folder.
/// </summary>
public sealed class PostgresStorage : IRegionStore
{
    private PostgresStorage(IAnalysisStore analyses, IChangeFeed changes, IDatabaseReplication replication, IDatabasePrimary primary, IAuditTrail audit)
    {
        Audit = audit;
        Primary = primary;
        Analyses = analyses;
        Changes = changes;
        Replication = replication;
    }

    /// <summary>Where writes go, once the cluster manager names the primary.</summary>
    public IDatabasePrimary Primary { get; }

    /// <summary>How far the standbys are behind, when this region's database is the primary; or this standby's own replay.</summary>
    public IDatabaseReplication Replication { get; }

    /// <inheritdoc />
    public IAnalysisStore Analyses { get; }

    /// <inheritdoc />
    public IChangeFeed Changes { get; }

    /// <inheritdoc />
    public IAuditTrail Audit { get; }

    /// <summary>
    /// Opens the store; nothing connects until <see cref="InitializeAsync"/>. Throws <see cref="ArgumentException"/> with one line
    /// when the connection string is malformed, names no host, or holds a password.
    /// </summary>
    public static PostgresStorage Open(PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxBinaryBytes);
        var database = new PostgresDatabase(options);
        return new PostgresStorage(new PostgresAnalysisStore(database, new LocalBinaries(options.DataDirectory), options.MaxBinaryBytes),
            new PostgresChangeFeed(database), new PostgresReplicationStatus(database), database, new PostgresAuditTrail(database));
    }

    /// <summary>Applies pending migrations on the primary (once, under an advisory lock, however many processes start).</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Analyses.InitializeAsync(cancellationToken);

    public ValueTask DisposeAsync() => Analyses.DisposeAsync();
}
