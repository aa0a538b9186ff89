using System.Globalization;
using GhidraInsight.Storage.Sqlite.Annotations;
using GhidraInsight.Storage.Sqlite.Outbox;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Replication;

/// <summary>
/// Reads the region's whole state as replication entries, page by page: analyses by id, then annotations by (analysis,
/// address), then tombstones by id, then the audit trail by id. Each page is its own read, so no long transaction holds the WAL: a write that lands
/// meanwhile is also in the outbox after the snapshot's starting point, and applying is idempotent and order-tolerant.
/// The position is opaque to callers: <c>a:ID</c>, <c>n:ID:ADDRESS</c>, <c>t:ID</c> or <c>u:ID</c>, the last row returned.
/// </summary>
internal static class SnapshotReader
{
    /// <summary>A page stops early past this many payload bytes, so a batch of large analyses stays a reasonable request.</summary>
    private const int MaxPageBytes = 8 << 20;

    public static async Task<SnapshotPage> ReadAsync(SqliteConnection connection, string? after, int limit, CancellationToken cancellationToken)
    {
        var (phase, id, address) = Parse(after);
        var entries = new List<OutboxEntry>();
        var bytes = 0L;
        string? next = after;
        if (phase == 'a')
        {
            next = await ReadAnalysesAsync(connection, id, limit, entries, cancellationToken).ConfigureAwait(false);
            bytes = entries.Sum(e => (long)e.Payload.Length);
            if (next is not null && (entries.Count >= limit || bytes >= MaxPageBytes))
            {
                return new SnapshotPage(entries, next);
            }
            (phase, id, address) = ('n', null, 0);
        }

        if (phase == 'n')
        {
            next = await ReadAnnotationsAsync(connection, id, address, limit - entries.Count, entries, cancellationToken).ConfigureAwait(false);
            if (entries.Count >= limit)
            {
                return new SnapshotPage(entries, next ?? "t:");
            }
            (phase, id) = ('t', null);
        }

        if (phase == 't')
        {
            next = await ReadTombstonesAsync(connection, id, limit - entries.Count, entries, cancellationToken).ConfigureAwait(false);
            if (entries.Count >= limit)
            {
                return new SnapshotPage(entries, next ?? "u:");
            }
            (phase, id) = ('u', null);
        }

        next = await ReadAuditAsync(connection, id, limit - entries.Count, entries, cancellationToken).ConfigureAwait(false);
        return new SnapshotPage(entries, entries.Count >= limit ? next : null);
    }

    private static async Task<string?> ReadAuditAsync(SqliteConnection connection, string? afterId, int limit, List<OutboxEntry> entries,
        CancellationToken cancellationToken)
    {
        using var command = connection.Command(null, $"SELECT {AuditRows.Columns} FROM audit WHERE id > $after ORDER BY id LIMIT $limit;",
            ("$after", afterId ?? ""),
            ("$limit", limit));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        string? last = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = AuditRows.Read(reader);
            entries.Add(Entry(entries.Count, OutboxKinds.AuditRecorded, entry.Id, AuditRows.ToJson(entry), 0, entry.At.ToUnixTimeMilliseconds()));
            last = "u:" + entry.Id;
        }

        return last;
    }

    private static async Task<string?> ReadAnalysesAsync(SqliteConnection connection, string? afterId, int limit, List<OutboxEntry> entries,
        CancellationToken cancellationToken)
    {
        using var command = connection.Command(null, """
            SELECT id, engine_version, format, arch, size, created_at, result_json, name
            FROM analyses WHERE id > $after ORDER BY id LIMIT $limit;
            """,
            ("$after", afterId ?? ""),
            ("$limit", limit));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        string? last = null;
        var bytes = 0L;
        while (bytes < MaxPageBytes && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var analysis = new NewAnalysis(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetString(6), Binary: null, reader.IsDBNull(7) ? null : reader.GetString(7));
            var createdAtMs = reader.GetInt64(5);
            var payload = OutboxPayloads.AnalysisStored(analysis, createdAtMs);
            bytes += payload.Length;
            entries.Add(Entry(entries.Count, OutboxKinds.AnalysisStored, analysis.Id, payload, 0, createdAtMs));
            last = analysis.Id;
        }

        return last is null ? null : "a:" + last;
    }

    private static async Task<string?> ReadAnnotationsAsync(SqliteConnection connection, string? afterId, long afterAddress, int limit,
        List<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        using var command = connection.Command(null, $"""
            SELECT {AnnotationReader.Columns} FROM annotations
            WHERE analysis_id > $id OR (analysis_id = $id AND address > $address)
            ORDER BY analysis_id, address LIMIT $limit;
            """,
            ("$id", afterId ?? ""),
            ("$address", afterId is null ? long.MinValue : afterAddress),
            ("$limit", limit));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        string? last = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var annotation = AnnotationReader.Read(reader);
            entries.Add(Entry(entries.Count, OutboxKinds.AnnotationPut, OutboxKinds.AnnotationKey(annotation.AnalysisId, annotation.Address),
                OutboxPayloads.AnnotationPut(annotation), annotation.Epoch, annotation.UpdatedAt.ToUnixTimeMilliseconds()));
            last = string.Create(CultureInfo.InvariantCulture, $"n:{annotation.AnalysisId}:{AnnotationReader.ToStored(annotation.Address)}");
        }

        return last;
    }

    private static async Task<string?> ReadTombstonesAsync(SqliteConnection connection, string? afterId, int limit, List<OutboxEntry> entries,
        CancellationToken cancellationToken)
    {
        using var command = connection.Command(null, "SELECT analysis_id, deleted_at, epoch FROM tombstones WHERE analysis_id > $after ORDER BY analysis_id LIMIT $limit;",
            ("$after", afterId ?? ""),
            ("$limit", limit));
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        string? last = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetString(0);
            var deletedAtMs = reader.GetInt64(1);
            entries.Add(Entry(entries.Count, OutboxKinds.AnalysisDeleted, id, OutboxPayloads.AnalysisDeleted(id, deletedAtMs), reader.GetInt64(2), deletedAtMs));
            last = "t:" + id;
        }

        return last;
    }

    private static OutboxEntry Entry(int position, string kind, string key, string payload, long epoch, long createdAtMs) =>
        new(position + 1, kind, key, payload, epoch, DateTimeOffset.FromUnixTimeMilliseconds(createdAtMs));

    /// <summary>The phase and last row of a position; anything unreadable starts over (the snapshot is idempotent).</summary>
    private static (char Phase, string? Id, long Address) Parse(string? position)
    {
        if (position is null || position.Length < 2 || position[1] != ':')
        {
            return ('a', null, 0);
        }

        var rest = position[2..];
        switch (position[0])
        {
            case 'a':
                return ('a', rest.Length > 0 ? rest : null, 0);
            case 't':
                return ('t', rest.Length > 0 ? rest : null, 0);
            case 'u':
                return ('u', rest.Length > 0 ? rest : null, 0);
            case 'n':
                var colon = rest.LastIndexOf(':');
                return colon > 0 && long.TryParse(rest.AsSpan(colon + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var address)
                    ? ('n', rest[..colon], address)
                    : ('n', null, 0);
            default:
                return ('a', null, 0);
        }
    }
}
