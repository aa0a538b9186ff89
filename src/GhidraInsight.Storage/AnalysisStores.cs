using GhidraInsight.Storage.Sqlite;

namespace GhidraInsight.Storage;

/// <summary>Creates analysis stores.</summary>
public static class AnalysisStores
{
    /// <summary>
    /// A store in <c>&lt;dataDirectory&gt;/ghidrainsight.db</c> (WAL, synchronous=FULL). Nothing touches the disk until
    /// <see cref="IAnalysisStore.InitializeAsync"/>, which creates the folder and file when missing and applies migrations.
    /// </summary>
    /// <param name="dataDirectory">The region's data folder.</param>
    /// <param name="maxBinaryBytes">Larger binaries are refused with <see cref="BinaryTooLargeException"/>.</param>
    /// <param name="time">The clock for stored times; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="currentEpoch">The primary epoch stamped on writes and outbox entries; always 1 when null.</param>
    public static IAnalysisStore OpenSqlite(string dataDirectory, long maxBinaryBytes, TimeProvider? time = null, Func<long>? currentEpoch = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBinaryBytes);
        return new SqliteAnalysisStore(dataDirectory, maxBinaryBytes, time ?? TimeProvider.System, currentEpoch ?? (static () => 1));
    }
}
