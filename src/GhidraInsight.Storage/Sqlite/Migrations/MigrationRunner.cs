using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite.Migrations;

/// <summary>
/// Brings the database to the latest schema. Each migration runs in its own <c>BEGIN IMMEDIATE</c> transaction
/// that re-reads the version first, so two processes opening the same file never apply a step twice.
/// </summary>
internal sealed class MigrationRunner(SqliteConnectionFactory connections, TimeProvider time, IReadOnlyList<Migration> migrations)
{
    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL
        );
        """;

    /// <summary>Applies pending migrations and returns the schema version now in the database.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var connection = await connections.OpenOrCreateAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await EnableWriteAheadLogAsync(connection, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                await ExecuteAsync(connection, transaction, CreateVersionTable, cancellationToken).ConfigureAwait(false);
                var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                if (current > latest)
                {
                    throw new InvalidOperationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The database '{connections.DatabasePath}' has schema version {current}, but this build only knows versions up to {latest}. It was written by a newer GhidraInsight; upgrade this service or point it at another data directory."));
                }

                var next = migrations.FirstOrDefault(m => m.Version > current);
                if (next is null)
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return current;
                }

                await ExecuteAsync(connection, transaction, next.Sql, cancellationToken).ConfigureAwait(false);
                await RecordAsync(connection, transaction, next, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task EnableWriteAheadLogAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // journal_mode is stored in the file; it cannot change inside a transaction, so it is set first.
        using var command = connection.Command(null, "PRAGMA journal_mode = WAL;");
        var mode = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The database '{connection.DataSource}' could not switch to WAL mode (journal_mode is '{mode}').");
        }
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var command = connection.Command(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private async Task RecordAsync(SqliteConnection connection, SqliteTransaction transaction, Migration migration, CancellationToken cancellationToken)
    {
        using var command = connection.Command(transaction, "INSERT INTO schema_version (version, name, applied_at) VALUES ($version, $name, $appliedAt);",
            ("$version", migration.Version),
            ("$name", migration.Name),
            ("$appliedAt", time.GetUtcNow().ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.Command(transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
