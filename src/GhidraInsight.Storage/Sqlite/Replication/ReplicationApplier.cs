using GhidraInsight.Storage.Sqlite.Analyses;
using GhidraInsight.Storage.Sqlite.Annotations;
using GhidraInsight.Storage.Sqlite.Audit;
using GhidraInsight.Storage.Sqlite.Conflicts;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Replication;

/// <summary>
/// Applies another region's outbox entries inside the caller's write transaction. Every rule is idempotent and
/// order-tolerant, so redelivered or overlapping batches converge; nothing is appended to the local outbox. A write that
/// loses to another epoch's write of the same key is kept as a conflict record, never dropped silently.
/// </summary>
internal static class ReplicationApplier
{
    public static async Task<ReplicationApply> ApplyAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string origin,
        IReadOnlyList<OutboxEntry> entries,
        long nowMs,
        CancellationToken cancellationToken = default)
    {
        var initialMark = await ReplicationProgress.GetHighWaterMarkAsync(connection, transaction, origin, cancellationToken).ConfigureAwait(false);
        var mark = initialMark;
        var fresh = new List<OutboxEntry>();
        foreach (var entry in entries.OrderBy(e => e.Sequence))
        {
            // Also skips a sequence repeated inside the batch: the first copy is the one applied.
            if (entry.Sequence > mark)
            {
                fresh.Add(entry);
                mark = entry.Sequence;
            }
        }

        var (applied, changed) = await ApplyEachAsync(connection, transaction, origin, fresh, nowMs, cancellationToken).ConfigureAwait(false);
        if (mark > initialMark)
        {
            await ReplicationProgress.SetHighWaterMarkAsync(connection, transaction, origin, mark, cancellationToken).ConfigureAwait(false);
        }

        return new ReplicationApply(mark, applied, changed);
    }

    /// <summary>
    /// Applies a page of another region's snapshot with the same rules, ignoring sequences (they only number the page); once the
    /// last page arrives (<paramref name="completesThrough"/> set) the origin's high-water mark is raised to the outbox head its
    /// snapshot began at, so streaming resumes right after it. The mark never moves back.
    /// </summary>
    public static async Task<ReplicationApply> ApplySnapshotAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string origin,
        IReadOnlyList<OutboxEntry> entries,
        long? completesThrough,
        long nowMs,
        CancellationToken cancellationToken = default)
    {
        var (applied, changed) = await ApplyEachAsync(connection, transaction, origin, entries, nowMs, cancellationToken).ConfigureAwait(false);
        if (completesThrough is { } through)
        {
            await ReplicationProgress.SetHighWaterMarkAsync(connection, transaction, origin, through, cancellationToken).ConfigureAwait(false);
        }

        var mark = await ReplicationProgress.GetHighWaterMarkAsync(connection, transaction, origin, cancellationToken).ConfigureAwait(false);
        return new ReplicationApply(mark, applied, changed);
    }

    /// <summary>Applies entries in the order given; returns how many changed something, and the analysis ids they changed.</summary>
    private static async Task<(int Applied, List<string> Changed)> ApplyEachAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string origin,
        IReadOnlyList<OutboxEntry> entries,
        long nowMs,
        CancellationToken cancellationToken)
    {
        var applied = 0;
        var changed = new List<string>();
        foreach (var entry in entries)
        {
            if (await ApplyOneAsync(connection, transaction, origin, entry, nowMs, cancellationToken).ConfigureAwait(false) is { } id)
            {
                applied++;
                if (!changed.Contains(id, StringComparer.Ordinal))
                {
                    changed.Add(id);
                }
            }
        }

        return (applied, changed);
    }

    /// <summary>Returns the analysis id the entry changed, or null when it changed nothing (already applied, superseded, unknown kind).</summary>
    private static Task<string?> ApplyOneAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string origin,
        OutboxEntry entry,
        long nowMs,
        CancellationToken cancellationToken) =>
        entry.Kind switch
        {
            OutboxKinds.AnalysisStored => ApplyStoredAsync(connection, transaction, entry, cancellationToken),
            OutboxKinds.AnnotationPut => ApplyAnnotationAsync(connection, transaction, origin, entry, nowMs, cancellationToken),
            OutboxKinds.AnalysisDeleted => ApplyDeletedAsync(connection, transaction, entry, cancellationToken),
            OutboxKinds.AuditRecorded => ApplyAuditAsync(connection, transaction, entry, cancellationToken),
            // A kind from a newer build: skipping it keeps replication flowing; the mark still passes it.
            _ => Task.FromResult<string?>(null),
        };

    private static async Task<string?> ApplyStoredAsync(SqliteConnection connection, SqliteTransaction transaction, OutboxEntry entry, CancellationToken cancellationToken)
    {
        var (analysis, createdAtMs) = ReplicatedPayloads.AnalysisStored(entry);
        var deletedAtMs = await Tombstones.FindDeletedAtAsync(connection, transaction, analysis.Id, cancellationToken).ConfigureAwait(false);
        if (deletedAtMs >= createdAtMs)
        {
            return null;
        }

        if (!await AnalysisWriter.InsertAsync(connection, transaction, analysis, createdAtMs, cancellationToken).ConfigureAwait(false))
        {
            // Stored already: a re-analysis by a newer engine replaces it; the same or an older result changes nothing but may
            // name an analysis that has no name yet (a name stored here first is kept, as at the origin).
            if (await AnalysisWriter.ReplaceIfNewerAsync(connection, transaction, analysis, cancellationToken).ConfigureAwait(false) is not null)
            {
                return analysis.Id;
            }

            return analysis.Name is { } name
                && await AnalysisWriter.NameIfUnnamedAsync(connection, transaction, analysis.Id, name, cancellationToken).ConfigureAwait(false) is not null
                ? analysis.Id
                : null;
        }

        // Mirrors the origin, whose save of this re-upload removed its own tombstone.
        if (deletedAtMs is not null)
        {
            await Tombstones.RemoveAsync(connection, transaction, analysis.Id, cancellationToken).ConfigureAwait(false);
        }

        return analysis.Id;
    }

    /// <summary>
    /// Lineage decides, not version order: versions count writes of a key, and each write carries the epoch segments of its
    /// chain (<see cref="Annotation.Lineage"/>). Within one epoch the higher version wins. Across epochs the newer write wins;
    /// the older one is history when a segment of its epoch in the newer chain covers its version, and otherwise was
    /// acknowledged by its primary but never reached the newer chain, so it lost and is recorded as a conflict, whichever
    /// arrives first and however many failovers lie between them.
    /// </summary>
    private static async Task<string?> ApplyAnnotationAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string origin,
        OutboxEntry entry,
        long nowMs,
        CancellationToken cancellationToken)
    {
        var incoming = ReplicatedPayloads.AnnotationPut(entry);
        if (!await AnalysisReader.ExistsAsync(connection, transaction, incoming.AnalysisId, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var current = await AnnotationReader.FindAsync(connection, transaction, incoming.AnalysisId, incoming.Address, cancellationToken).ConfigureAwait(false);
        if (current is not null)
        {
            if (incoming.Epoch == current.Epoch)
            {
                // Same chain: a later write replaces, an earlier one or a duplicate changes nothing.
                if (incoming.Version <= current.Version)
                {
                    return null;
                }
            }
            else if (incoming.Epoch < current.Epoch)
            {
                if (!AnnotationLineage.Includes(current, incoming))
                {
                    await ConflictWriter.RecordAnnotationAsync(connection, transaction, incoming, current, origin, nowMs, cancellationToken).ConfigureAwait(false);
                }

                return null;
            }
            else if (!AnnotationLineage.Includes(incoming, current))
            {
                await ConflictWriter.RecordAnnotationAsync(connection, transaction, current, incoming, origin, nowMs, cancellationToken).ConfigureAwait(false);
            }
        }

        await AnnotationWriter.UpsertAsync(connection, transaction, incoming, cancellationToken).ConfigureAwait(false);
        return incoming.AnalysisId;
    }

    /// <summary>Another region's audit entry, kept once; it changes no analysis, so nothing is returned.</summary>
    private static async Task<string?> ApplyAuditAsync(SqliteConnection connection, SqliteTransaction transaction, OutboxEntry entry, CancellationToken cancellationToken)
    {
        await SqliteAuditTrail.InsertAsync(connection, transaction, AuditRows.FromJson(entry.Payload), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static async Task<string?> ApplyDeletedAsync(SqliteConnection connection, SqliteTransaction transaction, OutboxEntry entry, CancellationToken cancellationToken)
    {
        var (id, deletedAtMs) = ReplicatedPayloads.AnalysisDeleted(entry);
        var deleted = await AnalysisWriter.DeleteAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        var recorded = await Tombstones.RecordAsync(connection, transaction, id, deletedAtMs, entry.Epoch, cancellationToken).ConfigureAwait(false);
        return deleted || recorded ? id : null;
    }
}
