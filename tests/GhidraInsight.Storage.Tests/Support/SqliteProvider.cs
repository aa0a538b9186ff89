namespace GhidraInsight.Storage.Tests.Support;

/// <summary>The embedded SQLite store.</summary>
public sealed class SqliteProvider : IStoreProvider
{
    public IRegionStore Open(string directory, long maxBinaryBytes, TimeProvider time) => AnalysisStores.OpenSqlite(directory, maxBinaryBytes, time);
}
