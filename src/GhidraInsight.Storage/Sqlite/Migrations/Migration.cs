namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>One schema step. Versions start at 1 and grow by one; a migration is never edited once released.</summary>
internal sealed record Migration(int Version, string Name, string Sql);
