using GhidraInsight.Storage.Sqlite.Annotations;
using GhidraInsight.Storage.Sqlite.Outbox;
using Npgsql;

namespace GhidraInsight.Storage.Postgres;

/// <summary>
/// The domain store on PostgreSQL. Writes go to the primary, each with its change-feed row in the same transaction, and each
/// carries a write id so that a write run again after a failover finds its own first attempt instead of doing it twice. Reads
/// go to the region's own database. Binaries stay in the region's folder (<see cref="LocalBinaries"/>).
/// </summary>
internal sealed class PostgresAnalysisStore(PostgresDatabase database, LocalBinaries binaries, long maxBinaryBytes) : IAnalysisStore
{
    internal const int MaxPageSize = 1000;
    private const string AnnotationColumns = "analysis_id, address, name, comment, tags_json, version, epoch, updated_at, base_version, lineage, write_id";

    public Task InitializeAsync(CancellationToken cancellationToken = default) => database.InitializeAsync(cancellationToken);

    public async Task<bool> SaveAnalysisAsync(NewAnalysis analysis, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.Binary is { Length: var length } && length > maxBinaryBytes)
        {
            throw new BinaryTooLargeException(length, maxBinaryBytes);
        }

        // The binary first: once the row is visible, every region may ask this one for it.
        var created = analysis.Binary is { } binary && await binaries.WriteAsync(analysis.Id, binary, cancellationToken).ConfigureAwait(false);
        var writeId = Guid.NewGuid();
        try
        {
            return await database.WriteAsync(async (write, cancellationToken) =>
            {
                await using var insert = write.Command("""
                    INSERT INTO analyses (id, engine_version, format, arch, size, created_at, result_json, epoch, write_id, name)
                    VALUES (@id, @engine, @format, @arch, @size, @at, @result, @epoch, @write, @name)
                    ON CONFLICT (id) DO NOTHING;
                    """,
                    ("id", analysis.Id), ("engine", analysis.EngineVersion), ("format", analysis.Format), ("arch", analysis.Arch),
                    ("size", analysis.Size), ("at", write.NowMs), ("result", analysis.ResultJson), ("epoch", epoch), ("write", writeId),
                    ("name", analysis.Name));
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    // Stored before: by this very write when an earlier attempt committed just as the primary went away.
                    await using var mine = write.Command("SELECT write_id = @write FROM analyses WHERE id = @id;", ("id", analysis.Id), ("write", writeId));
                    return await mine.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
                }

                await using var tombstone = write.Command("DELETE FROM tombstones WHERE id = @id;", ("id", analysis.Id));
                await tombstone.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await write.AppendChangeAsync(OutboxKinds.AnalysisStored, analysis.Id, epoch, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch when (created)
        {
            binaries.Delete(analysis.Id);
            throw;
        }
    }

    public Task<bool> ReplaceAnalysisAsync(NewAnalysis analysis, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var writeId = Guid.NewGuid();
        return database.WriteAsync(async (write, cancellationToken) =>
        {
            await using (var select = write.Command("SELECT engine_version, write_id = @write FROM analyses WHERE id = @id FOR UPDATE;",
                ("id", analysis.Id), ("write", writeId)))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                // Replaced before: by this very write when an earlier attempt committed just as the primary went away.
                if (!reader.IsDBNull(1) && reader.GetBoolean(1))
                {
                    return true;
                }

                if (!EngineVersions.IsOlder(reader.GetString(0), analysis.EngineVersion))
                {
                    return false;
                }
            }

            await using var update = write.Command("""
                UPDATE analyses SET engine_version = @engine, format = @format, arch = @arch, result_json = @result, epoch = @epoch, write_id = @write,
                                    name = COALESCE(name, @name)
                WHERE id = @id;
                """,
                ("id", analysis.Id), ("engine", analysis.EngineVersion), ("format", analysis.Format), ("arch", analysis.Arch),
                ("result", analysis.ResultJson), ("epoch", epoch), ("write", writeId), ("name", analysis.Name));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.AppendChangeAsync(OutboxKinds.AnalysisStored, analysis.Id, epoch, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<bool> NameAnalysisAsync(string id, string name, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var writeId = Guid.NewGuid();
        return database.WriteAsync(async (write, cancellationToken) =>
        {
            await using (var select = write.Command("SELECT name IS NULL, write_id = @write FROM analyses WHERE id = @id FOR UPDATE;",
                ("id", id), ("write", writeId)))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                // Named before: by this very write when an earlier attempt committed just as the primary went away.
                if (!reader.IsDBNull(1) && reader.GetBoolean(1))
                {
                    return true;
                }

                if (!reader.GetBoolean(0))
                {
                    return false;
                }
            }

            await using var update = write.Command("UPDATE analyses SET name = @name, epoch = @epoch, write_id = @write WHERE id = @id;",
                ("id", id), ("name", name), ("epoch", epoch), ("write", writeId));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.AppendChangeAsync(OutboxKinds.AnalysisStored, id, epoch, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<StoredAnalysis?> GetAnalysisAsync(string id, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, cancellationToken) =>
        {
            await using var command = Command(connection, "SELECT id, engine_version, format, arch, size, created_at, result_json, name FROM analyses WHERE id = @id;",
                ("id", id));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new StoredAnalysis(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.GetString(6), binaries.Exists(id), reader.IsDBNull(7) ? null : reader.GetString(7));
        }, cancellationToken);

    /// <summary>
    /// Keyset paging by id (collation "C" = ordinal); with a query, only the analyses it matches (ILIKE and lower() fold case as
    /// the database's character type does, ASCII letters at least).
    /// </summary>
    public Task<IReadOnlyList<AnalysisSummary>> ListAnalysesAsync(int limit, string? after, string? query = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<AnalysisSummary>>(async (connection, cancellationToken) =>
        {
            var search = AnalysisQuery.Parse(query);
            var conditions = new List<string>(2);
            if (after is not null)
            {
                conditions.Add("id > @after");
            }

            if (search is not null)
            {
                var idPrefix = search.IdPrefixPattern is null ? string.Empty : " OR id LIKE @idPrefix";
                conditions.Add($"(name ILIKE @name ESCAPE '{AnalysisQuery.Escape}' OR lower(format) = lower(@format){idPrefix})");
            }

            var where = conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);
            await using var command = Command(connection, $"SELECT id, format, arch, size, created_at, engine_version, name FROM analyses {where} ORDER BY id LIMIT @limit;",
                ("after", after), ("name", search?.NamePattern), ("format", search?.Text), ("idPrefix", search?.IdPrefixPattern),
                ("limit", Math.Clamp(limit, 1, MaxPageSize)));
            var page = new List<AnalysisSummary>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                page.Add(new AnalysisSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            }

            return page;
        }, cancellationToken);

    public async Task<bool> DeleteAnalysisAsync(string id, long epoch, CancellationToken cancellationToken = default)
    {
        var writeId = Guid.NewGuid();
        var deleted = await database.WriteAsync(async (write, cancellationToken) =>
        {
            await using var delete = write.Command("DELETE FROM analyses WHERE id = @id;", ("id", id));
            if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                await using var mine = write.Command("SELECT write_id = @write FROM tombstones WHERE id = @id;", ("id", id), ("write", writeId));
                return await mine.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
            }

            await using var tombstone = write.Command("""
                INSERT INTO tombstones (id, deleted_at, epoch, write_id) VALUES (@id, @at, @epoch, @write)
                ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at, epoch = excluded.epoch, write_id = excluded.write_id;
                """,
                ("id", id), ("at", write.NowMs), ("epoch", epoch), ("write", writeId));
            await tombstone.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await write.AppendChangeAsync(OutboxKinds.AnalysisDeleted, id, epoch, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        if (deleted)
        {
            binaries.Delete(id);
        }

        return deleted;
    }

    public async Task<byte[]?> GetBinaryAsync(string id, CancellationToken cancellationToken = default)
    {
        // A file left by a write whose row never committed (or by a deletion cut short) is not a stored binary.
        var binary = await binaries.ReadAsync(id, cancellationToken).ConfigureAwait(false);
        return binary is not null && await GetAnalysisAsync(id, cancellationToken).ConfigureAwait(false) is not null ? binary : null;
    }

    public Task<IReadOnlyList<Annotation>> GetAnnotationsAsync(string id, int limit, ulong? after = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Annotation>>(async (connection, cancellationToken) =>
        {
            await using var command = Command(connection, after is null
                    ? $"SELECT {AnnotationColumns} FROM annotations WHERE analysis_id = @id ORDER BY address LIMIT @limit;"
                    : $"SELECT {AnnotationColumns} FROM annotations WHERE analysis_id = @id AND address > @after ORDER BY address LIMIT @limit;",
                ("id", id), ("after", after is { } a ? ToStored(a) : 0L), ("limit", Math.Clamp(limit, 1, MaxPageSize)));
            var annotations = new List<Annotation>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                annotations.Add(ReadAnnotation(reader).Annotation);
            }

            return annotations;
        }, cancellationToken);

    public Task<Annotation?> GetAnnotationAsync(string id, ulong address, CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, cancellationToken) =>
        {
            await using var command = Command(connection, $"SELECT {AnnotationColumns} FROM annotations WHERE analysis_id = @id AND address = @address;",
                ("id", id), ("address", ToStored(address)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAnnotation(reader).Annotation : null;
        }, cancellationToken);

    public Task<AnnotationWrite> PutAnnotationAsync(string id, ulong address, AnnotationInput input, long? expectedVersion, long epoch,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (expectedVersion is { } expected)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(expected, nameof(expectedVersion));
        }

        var writeId = Guid.NewGuid();
        return database.WriteAsync(async (write, cancellationToken) =>
        {
            await using (var exists = write.Command("SELECT 1 FROM analyses WHERE id = @id FOR KEY SHARE;", ("id", id)))
            {
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    return new AnnotationWrite(AnnotationWriteStatus.AnalysisNotFound, null);
                }
            }

            (Annotation Annotation, Guid WriteId)? current;
            await using (var find = write.Command($"SELECT {AnnotationColumns} FROM annotations WHERE analysis_id = @id AND address = @address;",
                ("id", id), ("address", ToStored(address))))
            await using (var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                current = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAnnotation(reader) : null;
            }

            if (current is { WriteId: var stored } && stored == writeId)
            {
                // This write's earlier attempt committed just as the primary went away.
                return new AnnotationWrite(current.Value.Annotation.Version == 1 ? AnnotationWriteStatus.Created : AnnotationWriteStatus.Updated, current.Value.Annotation);
            }

            var before = current?.Annotation;
            if (!Matches(expectedVersion, before))
            {
                return new AnnotationWrite(AnnotationWriteStatus.VersionConflict, before);
            }

            var lineage = AnnotationLineage.Next(before, epoch);
            var next = new Annotation(id, address, input.Name, input.Comment, [.. input.Tags], (before?.Version ?? 0) + 1, epoch,
                DateTimeOffset.FromUnixTimeMilliseconds(write.NowMs), lineage[^1].StartsAfterVersion, lineage);
            await using (var upsert = write.Command("""
                INSERT INTO annotations (analysis_id, address, name, comment, tags_json, version, epoch, updated_at, base_version, lineage, write_id)
                VALUES (@id, @address, @name, @comment, @tags, @version, @epoch, @at, @base, @lineage, @write)
                ON CONFLICT (analysis_id, address) DO UPDATE SET
                    name = excluded.name, comment = excluded.comment, tags_json = excluded.tags_json, version = excluded.version,
                    epoch = excluded.epoch, updated_at = excluded.updated_at, base_version = excluded.base_version,
                    lineage = excluded.lineage, write_id = excluded.write_id;
                """,
                ("id", id), ("address", ToStored(address)), ("name", next.Name), ("comment", next.Comment), ("tags", OutboxPayloads.TagsJson(next.Tags)),
                ("version", next.Version), ("epoch", epoch), ("at", write.NowMs), ("base", next.BaseVersion), ("lineage", LineageJson.Format(next.Lineage)),
                ("write", writeId)))
            {
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await write.AppendChangeAsync(OutboxKinds.AnnotationPut, OutboxKinds.AnnotationKey(id, address), epoch, cancellationToken).ConfigureAwait(false);
            return new AnnotationWrite(before is null ? AnnotationWriteStatus.Created : AnnotationWriteStatus.Updated, next);
        }, cancellationToken);
    }

    public Task<long> CountAnalysesAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync(async (connection, cancellationToken) =>
        {
            await using var command = Command(connection, "SELECT COUNT(*) FROM analyses;");
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken = default) => database.CheckHealthAsync(cancellationToken);

    public ValueTask DisposeAsync() => database.DisposeAsync();

    /// <summary>Unsigned order as signed order: the top bit flipped.</summary>
    internal static long ToStored(ulong address) => unchecked((long)(address ^ 0x8000_0000_0000_0000UL));

    internal static ulong FromStored(long stored) => unchecked((ulong)stored ^ 0x8000_0000_0000_0000UL);

    private static bool Matches(long? expectedVersion, Annotation? current) => expectedVersion switch
    {
        null => true,
        0 => current is null,
        var version => current is not null && current.Version == version,
    };

    private static (Annotation Annotation, Guid WriteId) ReadAnnotation(NpgsqlDataReader reader) => (new Annotation(
        reader.GetString(0),
        FromStored(reader.GetInt64(1)),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        OutboxPayloads.ParseTags(reader.GetString(4)),
        reader.GetInt64(5),
        reader.GetInt64(6),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        reader.GetInt64(8),
        LineageJson.Parse(reader.GetString(9))), reader.GetGuid(10));

    internal static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
