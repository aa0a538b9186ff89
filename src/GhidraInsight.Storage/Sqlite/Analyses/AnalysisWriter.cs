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
            INSERT INTO analyses (id, engine_version, format, arch, size, created_at, result_json)
            VALUES ($id, $engineVersion, $format, $arch, $size, $createdAt, $resultJson)
            ON CONFLICT (id) DO NOTHING;
            """,
            ("$id", analysis.Id),
            ("$engineVersion", analysis.EngineVersion),
            ("$format", analysis.Format),
            ("$arch", analysis.Arch),
            ("$size", analysis.Size),
            ("$createdAt", createdAtMs),
            ("$resultJson", analysis.ResultJson));
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
    /// Replaces the stored result with <paramref name="analysis"/> when that comes from a newer engine; returns the stored
    /// creation time (Unix ms) when it did, null when the id is not stored or its result is not older.
    /// </summary>
    public static async Task<long?> ReplaceIfNewerAsync(
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
            UPDATE analyses SET engine_version = $engineVersion, format = $format, arch = $arch, result_json = $resultJson
            WHERE id = $id
            RETURNING created_at;
            """,
            ("$id", analysis.Id),
            ("$engineVersion", analysis.EngineVersion),
            ("$format", analysis.Format),
            ("$arch", analysis.Arch),
            ("$resultJson", analysis.ResultJson));
        return (long?)await update.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
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
