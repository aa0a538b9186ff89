namespace GhidraInsight.Configuration;

/// <summary>
/// The <c>storage:</c> section. The key <c>storage.connection_string</c> is still recognised (sample configs carry it
/// empty) but has no property: it would only serve <c>postgres</c>, which this version does not offer.
/// </summary>
public sealed record StorageOptions
{
    /// <summary><c>sqlite</c> (embedded default); <c>postgres</c> is not available yet.</summary>
    public string Provider { get; init; } = "sqlite";

    /// <summary>Folder of the SQLite database; absolute after loading (a relative value in a config file is taken from the file's folder).</summary>
    public string DataDir { get; init; } = "./data/local";

    /// <summary>Largest raw binary kept, bytes.</summary>
    public long MaxBinaryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Analyses kept in the in-memory cache.</summary>
    public int CacheEntries { get; init; } = 256;
}
