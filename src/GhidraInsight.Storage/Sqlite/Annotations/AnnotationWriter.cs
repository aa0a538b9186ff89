using GhidraInsight.Storage.Sqlite.Analyses;
using GhidraInsight.Storage.Sqlite.Outbox;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Annotations;

/// <summary>
/// Conditional annotation writes inside the caller's write transaction: the version check, the row and its
/// <c>annotation.put</c> outbox entry are one atomic step.
/// </summary>
internal static class AnnotationWriter
{
    public static async Task<AnnotationWrite> PutAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string id,
        ulong address,
        AnnotationInput input,
        long? expectedVersion,
        long epoch,
        long nowMs,
        CancellationToken cancellationToken = default)
    {
        if (!await AnalysisReader.ExistsAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))
        {
            return new AnnotationWrite(AnnotationWriteStatus.AnalysisNotFound, null);
        }

        var current = await AnnotationReader.FindAsync(connection, transaction, id, address, cancellationToken).ConfigureAwait(false);
        if (!Matches(expectedVersion, current))
        {
            return new AnnotationWrite(AnnotationWriteStatus.VersionConflict, current);
        }

        var lineage = AnnotationLineage.Next(current, epoch);
        var next = new Annotation(
            id,
            address,
            input.Name,
            input.Comment,
            [.. input.Tags],
            (current?.Version ?? 0) + 1,
            epoch,
            DateTimeOffset.FromUnixTimeMilliseconds(nowMs),
            lineage[^1].StartsAfterVersion,
            lineage);
        await UpsertAsync(connection, transaction, next, cancellationToken).ConfigureAwait(false);
        await OutboxWriter.AppendAsync(
            connection,
            transaction,
            OutboxKinds.AnnotationPut,
            OutboxKinds.AnnotationKey(id, address),
            OutboxPayloads.AnnotationPut(next),
            epoch,
            nowMs,
            cancellationToken).ConfigureAwait(false);
        return new AnnotationWrite(current is null ? AnnotationWriteStatus.Created : AnnotationWriteStatus.Updated, next);
    }

    /// <summary>null: unconditional; 0: must not exist yet; n: the stored version must be n.</summary>
    private static bool Matches(long? expectedVersion, Annotation? current) => expectedVersion switch
    {
        null => true,
        0 => current is null,
        var version => current is not null && current.Version == version,
    };

    /// <summary>Writes the annotation exactly as given (version, epoch, time, base version and lineage included).</summary>
    public static async Task UpsertAsync(SqliteConnection connection, SqliteTransaction transaction, Annotation annotation, CancellationToken cancellationToken)
    {
        using var command = connection.Command(transaction, """
            INSERT INTO annotations (analysis_id, address, name, comment, tags_json, version, epoch, updated_at, base_version, lineage)
            VALUES ($id, $address, $name, $comment, $tags, $version, $epoch, $updatedAt, $baseVersion, $lineage)
            ON CONFLICT (analysis_id, address) DO UPDATE SET
                name = excluded.name, comment = excluded.comment, tags_json = excluded.tags_json,
                version = excluded.version, epoch = excluded.epoch, updated_at = excluded.updated_at,
                base_version = excluded.base_version, lineage = excluded.lineage;
            """,
            ("$id", annotation.AnalysisId),
            ("$address", AnnotationReader.ToStored(annotation.Address)),
            ("$name", (object?)annotation.Name ?? DBNull.Value),
            ("$comment", (object?)annotation.Comment ?? DBNull.Value),
            ("$tags", OutboxPayloads.TagsJson(annotation.Tags)),
            ("$version", annotation.Version),
            ("$epoch", annotation.Epoch),
            ("$updatedAt", annotation.UpdatedAt.ToUnixTimeMilliseconds()),
            ("$baseVersion", annotation.BaseVersion),
            ("$lineage", LineageJson.Format(annotation.Lineage)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
