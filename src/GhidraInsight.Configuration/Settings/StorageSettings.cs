namespace GhidraInsight.Configuration;

/// <summary>The keys of <c>storage:</c>, each declared once.</summary>
internal static class StorageSettings
{
    public static readonly Setting<StorageOptions, string> Provider = new(
        "storage.provider",
        new ChoiceRule<string>([("sqlite", "sqlite"), ("postgres", "postgres")], "must be sqlite or postgres"),
        o => o.Provider,
        (o, v) => o with { Provider = v });

    /// <summary>Absolute after binding; the record's relative default is taken from the current folder.</summary>
    public static readonly Setting<StorageOptions, string> DataDir =
        new("storage.data_dir", new PathRule("must be a folder path"), o => o.DataDir, (o, v) => o with { DataDir = v })
        {
            DerivedDefault = o => Path.GetFullPath(o.DataDir),
        };

    /// <summary>Blank counts as unset (sample configs carry it empty for sqlite).</summary>
    public static readonly Setting<StorageOptions, string?> ConnectionString =
        new("storage.connection_string", new ConnectionStringRule(), o => o.ConnectionString, (o, v) => o with { ConnectionString = v });

    public static readonly Setting<StorageOptions, string?> PasswordFile = new(
        "storage.password_file",
        new OptionalRule<string>(new PathRule("must be the path of a file holding the database password")),
        o => o.PasswordFile,
        (o, v) => o with { PasswordFile = v });

    /// <summary>The database password itself: environment only, never written; else read from <see cref="PasswordFile"/>.</summary>
    public static readonly Setting<StorageOptions, string?> Password =
        new("storage.password", new SecretRule("must not be empty"), o => o.Password, (o, v) => o with { Password = v })
        {
            IsSecret = true,
            IsWritten = false,
            SecretFileKey = "storage.password_file",
        };

    public static readonly Setting<StorageOptions, string?> ReadHost =
        new("storage.read_host", new OptionalRule<string>(new TextRule(ValueRules.IsHostAndPort, "must be a host or host:port")), o => o.ReadHost,
            (o, v) => o with { ReadHost = v });

    public static readonly Setting<StorageOptions, string?> PatroniUrl =
        new("storage.patroni_url", new OptionalRule<string>(new TextRule(text => ValueRules.TryParseUrl(text, out _), ValueRules.UrlAllowed)), o => o.PatroniUrl,
            (o, v) => o with { PatroniUrl = v });

    public static readonly Setting<StorageOptions, int> WriteDeadlineMs =
        new("storage.write_deadline_ms", new IntegerRule<int>(100, 600_000), o => o.WriteDeadlineMs, (o, v) => o with { WriteDeadlineMs = v });

    public static readonly Setting<StorageOptions, long> MaxBinaryBytes =
        new("storage.max_binary_bytes", new IntegerRule<long>(1), o => o.MaxBinaryBytes, (o, v) => o with { MaxBinaryBytes = v });

    public static readonly Setting<StorageOptions, long> ReserveBytes =
        new("storage.reserve_bytes", new IntegerRule<long>(0), o => o.ReserveBytes, (o, v) => o with { ReserveBytes = v });

    public static readonly Setting<StorageOptions, int> AuditRetentionDays =
        new("storage.audit_retention_days", new IntegerRule<int>(1, 36_500), o => o.AuditRetentionDays, (o, v) => o with { AuditRetentionDays = v });

    public static readonly Setting<StorageOptions, int> CacheEntries =
        new("storage.cache_entries", new IntegerRule<int>(1), o => o.CacheEntries, (o, v) => o with { CacheEntries = v });

    public static readonly OptionsSection<StorageOptions> Section = new("storage", o => o.Storage, (o, s) => o with { Storage = s },
        [Provider, DataDir, ConnectionString, PasswordFile, Password, ReadHost, PatroniUrl, WriteDeadlineMs, MaxBinaryBytes, ReserveBytes, AuditRetentionDays, CacheEntries])
    {
        AfterBind = StoragePasswordFile.Read,
    };
}
