using GhidraInsight.Storage.Sqlite.Analyses;
using GhidraInsight.Storage.Sqlite.Annotations;
using GhidraInsight.Storage.Sqlite.Outbox;
using GhidraInsight.Storage.Sqlite.Replication;

namespace GhidraInsight.Storage.Sqlite;

/// <summary>The domain store on the region's SQLite file: each write and its outbox entry commit in one transaction.</summary>
internal sealed class SqliteAnalysisStore(SqliteDatabase database, long maxBinaryBytes) : IAnalysisStore
{
    internal const int MaxPageSize = 1000;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => database.InitializeAsync(cancellationToken);

    public Task<bool> SaveAnalysisAsync(NewAnalysis analysis, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.Binary is { Length: var length } && length > maxBinaryBytes)
        {
            throw new BinaryTooLargeException(length, maxBinaryBytes);
        }

        return database.WriteAsync(async (connection, transaction, nowMs) =>
        {
            if (!await AnalysisWriter.InsertAsync(connection, transaction, analysis, nowMs, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await Tombstones.RemoveAsync(connection, transaction, analysis.Id, cancellationToken).ConfigureAwait(false);
            var payload = OutboxPayloads.AnalysisStored(analysis, nowMs);
            await OutboxWriter.AppendAsync(connection, transaction, OutboxKinds.AnalysisStored, analysis.Id, payload, epoch, nowMs, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<bool> ReplaceAnalysisAsync(NewAnalysis analysis, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return database.WriteAsync(async (connection, transaction, nowMs) =>
        {
            if (await AnalysisWriter.ReplaceIfNewerAsync(connection, transaction, analysis, cancellationToken).ConfigureAwait(false) is not (var createdAtMs, var name))
            {
                return false;
            }

            // The first store's creation time: a deletion after it still wins over the re-analysis wherever the two meet.
            var payload = OutboxPayloads.AnalysisStored(analysis with { Binary = null, Name = name }, createdAtMs);
            await OutboxWriter.AppendAsync(connection, transaction, OutboxKinds.AnalysisStored, analysis.Id, payload, epoch, nowMs, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<bool> NameAnalysisAsync(string id, string name, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return database.WriteAsync(async (connection, transaction, nowMs) =>
        {
            if (await AnalysisWriter.NameIfUnnamedAsync(connection, transaction, id, name, cancellationToken).ConfigureAwait(false) is not (var analysis, var createdAtMs))
            {
                return false;
            }

            // As a re-analysis: the whole analysis with the first store's creation time, so every region applies it by one rule.
            var payload = OutboxPayloads.AnalysisStored(analysis, createdAtMs);
            await OutboxWriter.AppendAsync(connection, transaction, OutboxKinds.AnalysisStored, id, payload, epoch, nowMs, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<StoredAnalysis?> GetAnalysisAsync(string id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => AnalysisReader.GetAsync(connection, id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AnalysisSummary>> ListAnalysesAsync(int limit, string? after, string? query = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            connection => AnalysisReader.ListAsync(connection, Math.Clamp(limit, 1, MaxPageSize), after, AnalysisQuery.Parse(query), cancellationToken),
            cancellationToken);

    public Task<bool> DeleteAnalysisAsync(string id, long epoch, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction, nowMs) =>
        {
            if (!await AnalysisWriter.DeleteAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await Tombstones.RecordAsync(connection, transaction, id, nowMs, epoch, cancellationToken).ConfigureAwait(false);
            var payload = OutboxPayloads.AnalysisDeleted(id, nowMs);
            await OutboxWriter.AppendAsync(connection, transaction, OutboxKinds.AnalysisDeleted, id, payload, epoch, nowMs, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<byte[]?> GetBinaryAsync(string id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => AnalysisReader.GetBinaryAsync(connection, id, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<Annotation>> GetAnnotationsAsync(string id, int limit, ulong? after = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => AnnotationReader.ListAsync(connection, id, Math.Clamp(limit, 1, MaxPageSize), after, cancellationToken), cancellationToken);

    public Task<Annotation?> GetAnnotationAsync(string id, ulong address, CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => AnnotationReader.FindAsync(connection, null, id, address, cancellationToken), cancellationToken);

    public Task<AnnotationWrite> PutAnnotationAsync(string id, ulong address, AnnotationInput input, long? expectedVersion, long epoch,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (expectedVersion is { } expected)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(expected, nameof(expectedVersion));
        }

        return database.WriteAsync(
            (connection, transaction, nowMs) => AnnotationWriter.PutAsync(connection, transaction, id, address, input, expectedVersion, epoch, nowMs, cancellationToken),
            cancellationToken);
    }

    public Task<long> CountAnalysesAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => AnalysisReader.CountAsync(connection, cancellationToken), cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken = default) => database.CheckHealthAsync(cancellationToken);

    public ValueTask DisposeAsync() => database.DisposeAsync();
}
