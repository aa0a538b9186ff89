namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>
/// Version 4: annotation lineage. <c>base_version</c> is the version a key had when the epoch of its stored write first
/// wrote it, so replication can tell an older epoch's superseded history from its lost writes.
/// </summary>
internal static class AnnotationLineageMigration
{
    public static Migration Instance { get; } = new(4, "annotation lineage", """
        -- Rows written before lineage was tracked start from 0: every older-epoch write above 0 counts as lost to them,
        -- so an upgrade can over-report conflicts but never hides one.
        ALTER TABLE annotations ADD COLUMN base_version INTEGER NOT NULL DEFAULT 0;
        """);
}
