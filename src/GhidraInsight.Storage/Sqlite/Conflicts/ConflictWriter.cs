using GhidraInsight.Storage.Sqlite.Annotations;
using GhidraInsight.Storage.Sqlite.Outbox;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Conflicts;

/// <summary>Records losing writes inside the caller's write transaction, once each.</summary>
internal static class ConflictWriter
{
    /// <summary>The <see cref="ConflictRecord.Kind"/> of an annotation that lost to another epoch's write.</summary>
    public const string AnnotationKind = "annotation";

    /// <summary>
    /// Keeps <paramref name="lost"/> as a conflict against the (epoch, version) that won. Returns false when this losing write
    /// is already recorded: a redelivered batch, or the same write reaching this region again, adds nothing.
    /// </summary>
    public static async Task<bool> RecordAnnotationAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        Annotation lost,
        Annotation won,
        string reportedBy,
        long nowMs,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, """
            INSERT OR IGNORE INTO conflicts
                (kind, analysis_id, address, lost_epoch, lost_version, lost_json, won_epoch, won_version, reported_by, recorded_at)
            VALUES ($kind, $id, $address, $lostEpoch, $lostVersion, $lostJson, $wonEpoch, $wonVersion, $reportedBy, $recordedAt);
            """,
            ("$kind", AnnotationKind),
            ("$id", lost.AnalysisId),
            ("$address", AnnotationReader.ToStored(lost.Address)),
            ("$lostEpoch", lost.Epoch),
            ("$lostVersion", lost.Version),
            ("$lostJson", OutboxPayloads.AnnotationPut(lost)),
            ("$wonEpoch", won.Epoch),
            ("$wonVersion", won.Version),
            ("$reportedBy", reportedBy),
            ("$recordedAt", nowMs));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
