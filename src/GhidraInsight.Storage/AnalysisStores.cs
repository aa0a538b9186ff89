using GhidraInsight.Storage.Sqlite;

namespace GhidraInsight.Storage;

/// <summary>Creates region stores.</summary>
public static class AnalysisStores
{
    /// <summary>
    /// A store in <c>&lt;dataDirectory&gt;/ghidrainsight.db</c> (WAL, synchronous=FULL). Nothing touches the disk until
    /// <see cref="RegionStorage.InitializeAsync"/>, which creates the folder and file when missing and applies migrations.
    /// </summary>
    /// <param name="dataDirectory">The region's data folder.</param>
    /// <param name="maxBinaryBytes">Larger binaries are refused with <see cref="BinaryTooLargeException"/>.</param>
    /// <param name="time">The clock for stored times; <see cref="TimeProvider.System"/> when null.</param>
    public static RegionStorage OpenSqlite(string dataDirectory, long maxBinaryBytes, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBinaryBytes);
        var database = new SqliteDatabase(dataDirectory, time ?? TimeProvider.System);
        return new RegionStorage(new SqliteAnalysisStore(database, maxBinaryBytes), new SqliteReplicationLog(database), new SqliteChangeFeed(database),
            new Sqlite.Audit.SqliteAuditTrail(database));
    }
}
