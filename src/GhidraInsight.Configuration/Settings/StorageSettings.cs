namespace GhidraInsight.Configuration;

/// <summary>The keys of <c>storage:</c>, each declared once.</summary>
internal static class StorageSettings
{
    public static readonly Setting<StorageOptions, string> Provider = new(
        "storage.provider",
        new ChoiceRule<string>(
            [("sqlite", "sqlite")],
            "must be sqlite (postgres is not available in this version)",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["postgres"] = "postgres is not available in this version; use sqlite" }),
        o => o.Provider,
        (o, v) => o with { Provider = v });

    /// <summary>Absolute after binding; the record's relative default is taken from the current folder.</summary>
    public static readonly Setting<StorageOptions, string> DataDir =
        new("storage.data_dir", new PathRule("must be a folder path"), o => o.DataDir, (o, v) => o with { DataDir = v })
        {
            DerivedDefault = o => Path.GetFullPath(o.DataDir),
        };

    /// <summary>Recognised so configs that carry it empty (as DESIGN.md's sample does) still load; it has no property.</summary>
    public static readonly Setting<StorageOptions, string> ConnectionString = new(
        "storage.connection_string",
        new UnusedTextRule("is only used with storage.provider postgres, which is not available in this version"),
        _ => "",
        (o, _) => o)
    {
        IsWritten = false,
    };

    public static readonly Setting<StorageOptions, long> MaxBinaryBytes =
        new("storage.max_binary_bytes", new IntegerRule<long>(1), o => o.MaxBinaryBytes, (o, v) => o with { MaxBinaryBytes = v });

    public static readonly Setting<StorageOptions, int> CacheEntries =
        new("storage.cache_entries", new IntegerRule<int>(1), o => o.CacheEntries, (o, v) => o with { CacheEntries = v });

    public static readonly OptionsSection<StorageOptions> Section = new("storage", o => o.Storage, (o, s) => o with { Storage = s },
        [Provider, DataDir, ConnectionString, MaxBinaryBytes, CacheEntries]);
}
