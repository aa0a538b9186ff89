using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Replication;

/// <summary>
/// Deletion tombstones, written inside the caller's transaction. A tombstone keeps the latest deletion time of an id
/// so a replicated <c>analysis.stored</c> created before that deletion is refused.
/// </summary>
internal static class Tombstones
{
    /// <summary>Writes the tombstone, or keeps the existing one when it records a later deletion.</summary>
    public static async Task<bool> RecordAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string analysisId,
        long deletedAtMs,
        long epoch,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, """
            INSERT INTO tombstones (analysis_id, deleted_at, epoch)
            VALUES ($id, $deletedAt, $epoch)
            ON CONFLICT (analysis_id) DO UPDATE SET deleted_at = excluded.deleted_at, epoch = excluded.epoch
            WHERE excluded.deleted_at > tombstones.deleted_at;
            """,
            ("$id", analysisId),
            ("$deletedAt", deletedAtMs),
            ("$epoch", epoch));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Removes the tombstone of an id stored again (a re-upload after a delete is legitimate).</summary>
    public static async Task RemoveAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string analysisId,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, "DELETE FROM tombstones WHERE analysis_id = $id;",
            ("$id", analysisId));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The deletion time of the id in Unix milliseconds, or null when it has no tombstone.</summary>
    public static async Task<long?> FindDeletedAtAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string analysisId,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, "SELECT deleted_at FROM tombstones WHERE analysis_id = $id;",
            ("$id", analysisId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long deletedAt ? deletedAt : null;
    }
}
