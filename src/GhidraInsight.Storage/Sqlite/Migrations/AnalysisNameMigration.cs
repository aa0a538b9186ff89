namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>
/// Version 6: the analysis name, the file name of the first upload that had one. Null for rows stored before it and for
/// uploads without a name.
/// </summary>
internal static class AnalysisNameMigration
{
    public static Migration Instance { get; } = new(6, "analysis name", """
        ALTER TABLE analyses ADD COLUMN name TEXT;
        """);
}
