using GhidraInsight.Storage.Sqlite.Outbox;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Annotations;

/// <summary>Queries over annotations. Addresses are stored as the ulong's bits in a signed INTEGER.</summary>
internal static class AnnotationReader
{
    internal const string Columns = "analysis_id, address, name, comment, tags_json, version, epoch, updated_at, base_version, lineage";

    /// <summary>Annotations of an analysis in unsigned address order, after the address <paramref name="after"/> when given.</summary>
    public static async Task<IReadOnlyList<Annotation>> ListAsync(SqliteConnection connection, string id, int limit, ulong? after,
        CancellationToken cancellationToken = default)
    {
        // Addresses at or above 2^63 are stored negative; sorting them last keeps unsigned order, and the keyset condition
        // compares (sign group, stored value) the same way.
        var where = after is null ? "" : "AND ((address < 0) > ($after < 0) OR ((address < 0) = ($after < 0) AND address > $after))";
        using var command = connection.Command(null,
            $"SELECT {Columns} FROM annotations WHERE analysis_id = $id {where} ORDER BY address < 0, address LIMIT $limit;",
            ("$id", id),
            ("$after", after is { } a ? ToStored(a) : 0L),
            ("$limit", limit));
        var annotations = new List<Annotation>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            annotations.Add(Read(reader));
        }

        return annotations;
    }

    public static async Task<Annotation?> FindAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string id,
        ulong address,
        CancellationToken cancellationToken = default)
    {
        using var command = connection.Command(transaction, $"SELECT {Columns} FROM annotations WHERE analysis_id = $id AND address = $address;",
            ("$id", id),
            ("$address", ToStored(address)));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public static long ToStored(ulong address) => unchecked((long)address);

    public static ulong FromStored(long stored) => unchecked((ulong)stored);

    internal static Annotation Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        FromStored(reader.GetInt64(1)),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        OutboxPayloads.ParseTags(reader.GetString(4)),
        reader.GetInt64(5),
        reader.GetInt64(6),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        reader.GetInt64(8),
        LineageJson.Parse(reader.GetString(9)));
}
