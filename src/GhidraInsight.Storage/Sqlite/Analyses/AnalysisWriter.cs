using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Analyses;

/// <summary>Analysis and binary rows, written inside the caller's transaction.</summary>
internal static class AnalysisWriter
{
    /// <summary>Inserts the analysis and its binary; returns false, writing nothing, when the id is already stored.</summary>
    public static async Task<bool> InsertAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        NewAnalysis analysis,
        long createdAtMs,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, """
            INSERT INTO analyses (id, engine_version, format, arch, size, created_at, result_json, name)
            VALUES ($id, $engineVersion, $format, $arch, $size, $createdAt, $resultJson, $name)
            ON CONFLICT (id) DO NOTHING;
            """,
            ("$id", analysis.Id),
            ("$engineVersion", analysis.EngineVersion),
            ("$format", analysis.Format),
            ("$arch", analysis.Arch),
            ("$size", analysis.Size),
            ("$createdAt", createdAtMs),
            ("$resultJson", analysis.ResultJson),
            ("$name", (object?)analysis.Name ?? DBNull.Value));
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        if (analysis.Binary is { } binary)
        {
            using var insertBinary = connection.CreateCommand();
            insertBinary.Transaction = transaction;
            insertBinary.CommandText = "INSERT INTO binaries (id, data) VALUES ($id, $data);";
            insertBinary.Parameters.AddWithValue("$id", analysis.Id);
            insertBinary.Parameters.Add("$data", SqliteType.Blob).Value = AsArray(binary);
            await insertBinary.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Replaces the stored result with <paramref name="analysis"/> when that comes from a newer engine, keeping a stored name
    /// (the analysis's name only fills a missing one); returns the stored creation time (Unix ms) and the name now stored when
    /// it did, null when the id is not stored or its result is not older.
    /// </summary>
    public static async Task<(long CreatedAtMs, string? Name)?> ReplaceIfNewerAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        NewAnalysis analysis,
        CancellationToken cancellationToken = default)
    {
        using var select = connection.Command(transaction, "SELECT engine_version, created_at FROM analyses WHERE id = $id;", ("$id", analysis.Id));
        using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || !EngineVersions.IsOlder(reader.GetString(0), analysis.EngineVersion))
            {
                return null;
            }
        }

        using var update = connection.Command(transaction, """
            UPDATE analyses SET engine_version = $engineVersion, format = $format, arch = $arch, result_json = $resultJson,
                                name = COALESCE(name, $name)
            WHERE id = $id
            RETURNING created_at, name;
            """,
            ("$id", analysis.Id),
            ("$engineVersion", analysis.EngineVersion),
            ("$format", analysis.Format),
            ("$arch", analysis.Arch),
            ("$resultJson", analysis.ResultJson),
            ("$name", (object?)analysis.Name ?? DBNull.Value));
        using var updated = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await updated.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (updated.GetInt64(0), updated.IsDBNull(1) ? null : updated.GetString(1))
            : null;
    }

    /// <summary>
    /// Gives a stored analysis without a name <paramref name="name"/>; returns the analysis as now stored (without its binary)
    /// and its creation time (Unix ms), or null, writing nothing, when the id is not stored or already has a name.
    /// </summary>
    public static async Task<(NewAnalysis Analysis, long CreatedAtMs)?> NameIfUnnamedAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string id,
        string name,
        CancellationToken cancellationToken = default)
    {
        using var update = connection.Command(transaction, """
            UPDATE analyses SET name = $name
            WHERE id = $id AND name IS NULL
            RETURNING engine_version, format, arch, size, created_at, result_json;
            """,
            ("$id", id),
            ("$name", name));
        using var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var analysis = new NewAnalysis(id, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(5),
            Binary: null, name);
        return (analysis, reader.GetInt64(4));
    }

    /// <summary>Deletes the analysis; binaries and annotations follow by ON DELETE CASCADE.</summary>
    public static async Task<bool> DeleteAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string id,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, "DELETE FROM analyses WHERE id = $id;",
            ("$id", id));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    // Binaries can be large: reuse the caller's array when the memory spans all of it instead of copying.
    private static byte[] AsArray(ReadOnlyMemory<byte> binary) =>
        MemoryMarshal.TryGetArray(binary, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : binary.ToArray();
}
