using System.Text.Json;
using GhidraInsight.Storage.Sqlite.Annotations;
using GhidraInsight.Storage.Sqlite.Replication;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Conflicts;

/// <summary>Queries over conflict records.</summary>
internal static class ConflictReader
{
    /// <summary>Keyset paging by id, so records added meanwhile never shift a page.</summary>
    public static async Task<IReadOnlyList<ConflictRecord>> ListAsync(
        SqliteConnection connection,
        int limit,
        long? after,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(null, """
            SELECT id, kind, analysis_id, address, lost_json, won_epoch, won_version, reported_by, recorded_at
            FROM conflicts
            WHERE id > $after
            ORDER BY id
            LIMIT $limit;
            """,
            ("$after", after ?? 0),
            ("$limit", limit));
        var page = new List<ConflictRecord>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new ConflictRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                AnnotationReader.FromStored(reader.GetInt64(3)),
                ReadLost(reader.GetString(4)),
                reader.GetInt64(5),
                reader.GetInt64(6),
                reader.GetString(7),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))));
        }

        return page;
    }

    public static async Task<long> CountAsync(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(null, "SELECT COUNT(*) FROM conflicts;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static Annotation ReadLost(string lostJson)
    {
        using var document = JsonDocument.Parse(lostJson);
        return ReplicatedPayloads.ReadAnnotation(document.RootElement);
    }
}
