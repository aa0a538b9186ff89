namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>Version 5: the audit trail (ids are version 7 UUIDs, so their text order is time order).</summary>
internal static class AuditSchemaMigration
{
    public static Migration Instance { get; } = new(5, "audit trail", """
        CREATE TABLE audit (
            id       TEXT    PRIMARY KEY,
            at       INTEGER NOT NULL,
            region   TEXT    NOT NULL,
            key_name TEXT    NOT NULL,
            action   TEXT    NOT NULL,
            target   TEXT    NOT NULL,
            result   INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX audit_at ON audit (at);
        """);
}
