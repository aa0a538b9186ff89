namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>
/// Version 4: annotation lineage. <c>lineage</c> holds the epoch segments of the stored write's chain as JSON pairs
/// (<c>[[epoch, startsAfterVersion], ...]</c>, oldest first), so replication can tell an older epoch's superseded history
/// from its lost writes however many failovers lie between them; <c>base_version</c> is the last segment's start.
/// </summary>
internal static class AnnotationLineageMigration
{
    public static Migration Instance { get; } = new(4, "annotation lineage", """
        -- Rows written before lineage was tracked read as the single segment (epoch, 0): every older-epoch write counts as
        -- lost to them, so an upgrade can over-report conflicts but never hides one. An empty lineage marks such a row.
        ALTER TABLE annotations ADD COLUMN base_version INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE annotations ADD COLUMN lineage TEXT NOT NULL DEFAULT '';
        """);
}
