namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>Version 2: inter-region replication state (high-water marks, delivery cursors) and deletion tombstones.</summary>
internal static class ReplicationSchemaMigration
{
    public static Migration Instance { get; } = new(2, "replication state and tombstones", """
        -- The highest outbox sequence of each origin region applied here.
        CREATE TABLE replication_high_water (
            origin   TEXT    NOT NULL PRIMARY KEY,
            sequence INTEGER NOT NULL
        );

        -- The highest local outbox sequence each target region has acknowledged.
        CREATE TABLE replication_cursors (
            target   TEXT    NOT NULL PRIMARY KEY,
            sequence INTEGER NOT NULL
        );

        -- A deletion outlives its analysis so a late replicated analysis.stored cannot resurrect it.
        -- No foreign key: the analysis row is gone by design.
        CREATE TABLE tombstones (
            analysis_id TEXT    NOT NULL PRIMARY KEY,
            deleted_at  INTEGER NOT NULL,
            epoch       INTEGER NOT NULL
        );
        """);
}
