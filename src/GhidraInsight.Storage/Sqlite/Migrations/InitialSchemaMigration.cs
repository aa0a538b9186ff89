namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>Version 1: analyses, binaries, annotations and the replication outbox.</summary>
internal static class InitialSchemaMigration
{
    public static Migration Instance { get; } = new(1, "initial schema", """
        CREATE TABLE analyses (
            id             TEXT    NOT NULL PRIMARY KEY,
            engine_version TEXT    NOT NULL,
            format         TEXT    NOT NULL,
            arch           TEXT    NOT NULL,
            size           INTEGER NOT NULL,
            created_at     INTEGER NOT NULL,
            result_json    TEXT    NOT NULL
        );

        CREATE TABLE binaries (
            id   TEXT NOT NULL PRIMARY KEY REFERENCES analyses (id) ON DELETE CASCADE,
            data BLOB NOT NULL
        );

        -- address holds the ulong reinterpreted as a signed 64-bit integer.
        CREATE TABLE annotations (
            analysis_id TEXT    NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
            address     INTEGER NOT NULL,
            name        TEXT,
            comment     TEXT,
            tags_json   TEXT    NOT NULL,
            version     INTEGER NOT NULL,
            epoch       INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL,
            PRIMARY KEY (analysis_id, address)
        );

        -- AUTOINCREMENT: sequence numbers are never reused, even after the outbox is pruned.
        CREATE TABLE outbox (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            kind       TEXT    NOT NULL,
            key        TEXT    NOT NULL,
            payload    TEXT    NOT NULL,
            epoch      INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        """);
}
