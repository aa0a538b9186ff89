using System.Security.Cryptography;
using System.Text;

namespace GhidraInsight.Storage.Tests.Support;

/// <summary>
/// The PostgreSQL store on the test run's throwaway cluster: a database per data folder (a second store on the same folder,
/// as another process of the region, opens the same database), the password given apart from the connection string.
/// </summary>
public sealed class PostgresProvider : IStoreProvider
{
    public IRegionStore Open(string directory, long maxBinaryBytes, TimeProvider time)
    {
        var server = PostgresServer.Instance;
        var database = DatabaseOf(directory);
        server.EnsureDatabase(database);
        return PostgresStorage.Open(new PostgresStoreOptions
        {
            ConnectionString = server.ConnectionString(database),
            Password = server.Password,
            DataDirectory = directory,
            MaxBinaryBytes = maxBinaryBytes,
            Time = time,
            WriteDeadline = TimeSpan.FromSeconds(5),
        });
    }

    internal static string DatabaseOf(string directory) => "gi_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..24];
}
