using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Analyses;

/// <summary>Queries over analyses and binaries.</summary>
internal static class AnalysisReader
{
    public static async Task<StoredAnalysis?> GetAsync(SqliteConnection connection, string id, CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(null, """
            SELECT a.id, a.engine_version, a.format, a.arch, a.size, a.created_at, a.result_json,
                   EXISTS (SELECT 1 FROM binaries b WHERE b.id = a.id), a.name
            FROM analyses a
            WHERE a.id = $id;
            """,
            ("$id", id));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new StoredAnalysis(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetInt64(4),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            reader.GetString(6),
            reader.GetBoolean(7),
            reader.IsDBNull(8) ? null : reader.GetString(8));
    }

    /// <summary>
    /// Keyset paging by id (binary collation = ordinal), so rows inserted meanwhile never shift a page; with a query, only the
    /// analyses it matches (LIKE folds ASCII letters only, so a name matches case-insensitively in ASCII).
    /// </summary>
    public static async Task<IReadOnlyList<AnalysisSummary>> ListAsync(
        SqliteConnection connection,
        int limit,
        string? after,
        AnalysisQuery? query,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.CreateCommand();
        var conditions = new List<string>(2);
        if (after is not null)
        {
            conditions.Add("id > $after");
            command.Parameters.AddWithValue("$after", after);
        }

        if (query is not null)
        {
            var idPrefix = query.IdPrefixPattern is null ? string.Empty : " OR id LIKE $idPrefix";
            conditions.Add($"(name LIKE $name ESCAPE '{AnalysisQuery.Escape}' OR format = $format COLLATE NOCASE{idPrefix})");
            command.Parameters.AddWithValue("$name", query.NamePattern);
            command.Parameters.AddWithValue("$format", query.Text);
            if (query.IdPrefixPattern is not null)
            {
                command.Parameters.AddWithValue("$idPrefix", query.IdPrefixPattern);
            }
        }

        var where = conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);
        command.CommandText = $"SELECT id, format, arch, size, created_at, engine_version, name FROM analyses {where} ORDER BY id LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit);
        var page = new List<AnalysisSummary>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new AnalysisSummary(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return page;
    }

    public static async Task<long> CountAsync(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(null, "SELECT COUNT(*) FROM analyses;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public static async Task<byte[]?> GetBinaryAsync(SqliteConnection connection, string id, CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(null, "SELECT data FROM binaries WHERE id = $id;",
            ("$id", id));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return reader.IsDBNull(0) ? [] : reader.GetFieldValue<byte[]>(0);
    }

    public static async Task<bool> ExistsAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string id,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, "SELECT EXISTS (SELECT 1 FROM analyses WHERE id = $id);",
            ("$id", id));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1;
    }
}
