using GhidraInsight.Storage.Sqlite.Outbox;

namespace GhidraInsight.Storage.Sqlite;

/// <summary>The change feed of the embedded store: its outbox, which every local write appends to in its own transaction.</summary>
internal sealed class SqliteChangeFeed(SqliteDatabase database) : IChangeFeed
{
    public Task<IReadOnlyList<StoreChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<StoreChange>>(async connection =>
        {
            var entries = await OutboxReader.ReadAsync(connection, afterSequence, Math.Clamp(limit, 1, SqliteAnalysisStore.MaxPageSize), cancellationToken)
                .ConfigureAwait(false);
            return [.. entries.Select(e => new StoreChange(e.Sequence, e.Kind, e.Key, e.Epoch, e.CreatedAt))];
        }, cancellationToken);

    public Task<long> GetLastChangeSequenceAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(connection => OutboxReader.LastSequenceAsync(connection, cancellationToken), cancellationToken);
}
