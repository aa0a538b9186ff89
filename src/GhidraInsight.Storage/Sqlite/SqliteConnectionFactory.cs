using System.Globalization;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Sqlite;

/// <summary>
/// Opens pooled connections to the region's database file with the settings every connection needs:
/// foreign keys on, a busy timeout, and <c>synchronous=FULL</c> so an acknowledged commit survives power loss.
/// </summary>
internal sealed class SqliteConnectionFactory
{
    public const string DatabaseFileName = "ghidrainsight.db";
    private const int BusyTimeoutMilliseconds = 5_000;

    private static readonly string ConnectionPragmas = string.Create(
        CultureInfo.InvariantCulture,
        $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = FULL;");

    private readonly string _connectionString;
    private readonly string _createConnectionString;

    public SqliteConnectionFactory(string dataDirectory)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        DatabasePath = Path.Combine(DataDirectory, DatabaseFileName);
        _connectionString = BuildConnectionString(DatabasePath, SqliteOpenMode.ReadWrite);
        _createConnectionString = BuildConnectionString(DatabasePath, SqliteOpenMode.ReadWriteCreate);
    }

    public string DataDirectory { get; }

    public string DatabasePath { get; }

    /// <summary>
    /// Opens a connection to the existing database. It never creates the file, so a database deleted under a
    /// running service fails loudly instead of being silently replaced by an empty one.
    /// </summary>
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        OpenAsync(_connectionString, cancellationToken);

    /// <summary>Opens a connection, creating the data directory and the database file when missing.</summary>
    public Task<SqliteConnection> OpenOrCreateAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(DataDirectory);
        return OpenAsync(_createConnectionString, cancellationToken);
    }

    /// <summary>Closes idle pooled connections so the file is released (and the WAL checkpointed) on dispose.</summary>
    public void ClearPools()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        using var createConnection = new SqliteConnection(_createConnectionString);
        SqliteConnection.ClearPool(createConnection);
    }

    private static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = ConnectionPragmas;
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string BuildConnectionString(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
        }.ToString();
}
