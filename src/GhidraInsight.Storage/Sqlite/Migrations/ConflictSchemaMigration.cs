namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>Version 3: conflict records, the writes that lost to another epoch's write of the same key.</summary>
internal static class ConflictSchemaMigration
{
    public static Migration Instance { get; } = new(3, "replication conflicts", """
        -- address holds the ulong reinterpreted as a signed 64-bit integer, as in annotations.
        -- lost_json is the whole losing annotation in the annotation.put payload format.
        CREATE TABLE conflicts (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            kind         TEXT    NOT NULL,
            analysis_id  TEXT    NOT NULL,
            address      INTEGER NOT NULL,
            lost_epoch   INTEGER NOT NULL,
            lost_version INTEGER NOT NULL,
            lost_json    TEXT    NOT NULL,
            won_epoch    INTEGER NOT NULL,
            won_version  INTEGER NOT NULL,
            reported_by  TEXT    NOT NULL,
            recorded_at  INTEGER NOT NULL
        );

        -- One record per losing write, however often (or through however many regions) it is redelivered.
        CREATE UNIQUE INDEX conflicts_lost_write ON conflicts (kind, analysis_id, address, lost_epoch, lost_version);
        """);
}
