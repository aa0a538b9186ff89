using System.Globalization;
using GhidraInsight.Storage.Sqlite.Migrations;
using Npgsql;

namespace GhidraInsight.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema, in versioned steps, and how they are applied: under a session advisory lock, so when several
/// processes of a region (or several regions) start together one applies each step and the others wait and find it done.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The advisory lock key of schema changes (an arbitrary constant: "GhidraIn" in ASCII).</summary>
    private const long LockKey = 0x4768_6964_7261_496E;

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial schema", """
            CREATE TABLE analyses (
                id             text   COLLATE "C" PRIMARY KEY,
                engine_version text   NOT NULL,
                format         text   NOT NULL,
                arch           text   NOT NULL,
                size           bigint NOT NULL,
                created_at     bigint NOT NULL,
                result_json    text   NOT NULL,
                epoch          bigint NOT NULL,
                write_id       uuid   NOT NULL
            );
            -- Addresses are unsigned 64-bit: stored with the top bit flipped, so signed order is unsigned order.
            CREATE TABLE annotations (
                analysis_id  text   COLLATE "C" NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
                address      bigint NOT NULL,
                name         text,
                comment      text,
                tags_json    text   NOT NULL,
                version      bigint NOT NULL,
                epoch        bigint NOT NULL,
                updated_at   bigint NOT NULL,
                base_version bigint NOT NULL,
                lineage      text   NOT NULL,
                write_id     uuid   NOT NULL,
                PRIMARY KEY (analysis_id, address)
            );
            CREATE TABLE tombstones (
                id         text   COLLATE "C" PRIMARY KEY,
                deleted_at bigint NOT NULL,
                epoch      bigint NOT NULL,
                write_id   uuid   NOT NULL
            );
            CREATE TABLE conflicts (
                id          bigserial PRIMARY KEY,
                analysis_id text   NOT NULL,
                address     bigint NOT NULL,
                kept        text   NOT NULL,
                lost        text   NOT NULL,
                detected_at bigint NOT NULL
            );
            -- The change feed: one row per write, in commit order (writers serialize on change_head).
            CREATE TABLE change_head (
                id       int    PRIMARY KEY CHECK (id = 1),
                sequence bigint NOT NULL
            );
            INSERT INTO change_head (id, sequence) VALUES (1, 0);
            CREATE TABLE changes (
                sequence   bigint PRIMARY KEY,
                kind       text   NOT NULL,
                key        text   NOT NULL,
                epoch      bigint NOT NULL,
                created_at bigint NOT NULL
            );
            """),
        new(2, "audit trail", """
            -- Ids are version 7 UUIDs in text form: their order is time order.
            CREATE TABLE audit (
                id       text   COLLATE "C" PRIMARY KEY,
                at       bigint NOT NULL,
                region   text   NOT NULL,
                key_name text   NOT NULL,
                action   text   NOT NULL,
                target   text   NOT NULL,
                result   int    NOT NULL
            );
            CREATE INDEX audit_at ON audit (at);
            """),
        new(3, "analysis name", """
            -- The file name of the first upload that had one; null for analyses stored before it and uploads without a name.
            ALTER TABLE analyses ADD COLUMN name text;
            """),
    ];

    /// <summary>Applies pending steps and returns the schema version now in the database.</summary>
    public static async Task<int> RunAsync(NpgsqlDataSource primary, IReadOnlyList<Migration> migrations, TimeProvider time, CancellationToken cancellationToken)
    {
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var connection = await primary.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({LockKey});", cancellationToken).ConfigureAwait(false);
            try
            {
                await ExecuteAsync(connection, null, """
                    CREATE TABLE IF NOT EXISTS schema_version (
                        version    int    PRIMARY KEY,
                        name       text   NOT NULL,
                        applied_at bigint NOT NULL
                    );
                    """, cancellationToken).ConfigureAwait(false);
                while (true)
                {
                    var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using (transaction.ConfigureAwait(false))
                    {
                        await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version;", connection, transaction);
                        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                        if (current > latest)
                        {
                            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                                $"The database '{connection.Database}' has schema version {current}, but this build only knows versions up to {latest}. It was written by a newer GhidraInsight; upgrade this service or point it at another database."));
                        }

                        var next = migrations.FirstOrDefault(m => m.Version > current);
                        if (next is null)
                        {
                            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                            return current;
                        }

                        await ExecuteAsync(connection, transaction, next.Sql, cancellationToken).ConfigureAwait(false);
                        await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at);",
                            connection, transaction);
                        record.Parameters.AddWithValue("version", next.Version);
                        record.Parameters.AddWithValue("name", next.Name);
                        record.Parameters.AddWithValue("at", time.GetUtcNow().ToUnixTimeMilliseconds());
                        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                // Closing the session releases the lock too; unlocking keeps a pooled connection clean.
                if (connection.State == System.Data.ConnectionState.Open)
                {
                    await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({LockKey});", CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
