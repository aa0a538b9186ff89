namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>Every migration this build knows, in version order.</summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        InitialSchemaMigration.Instance,
        ReplicationSchemaMigration.Instance,
        ConflictSchemaMigration.Instance,
        AnnotationLineageMigration.Instance,
        AuditSchemaMigration.Instance,
        AnalysisNameMigration.Instance,
    ];

    public static int LatestVersion => All[^1].Version;
}
