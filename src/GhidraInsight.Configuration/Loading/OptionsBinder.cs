using System.Globalization;

namespace GhidraInsight.Configuration;

/// <summary>Parses and checks every gathered value, recording one error line per bad value and keeping the default instead.</summary>
internal sealed partial class OptionsBinder(RawSettings settings, List<string> errors)
{
    private const int MaxSeconds = 86_400;
    private const int MaxConcurrency = 1024;

    public GhidraOptions Bind()
    {
        var server = new ServerOptions();
        server = new ServerOptions
        {
            Host = Text(ConfigNames.ServerHost, ValueRules.IsValidHost, ValueRules.HostAllowed) ?? server.Host,
            // 0 asks the system for a free port (tests, and `up` when it picks ports itself).
            Port = (int)(Integer(ConfigNames.ServerPort, 0, 65_535) ?? server.Port),
            MaxUploadBytes = Integer(ConfigNames.ServerMaxUploadBytes, 1, long.MaxValue) ?? server.MaxUploadBytes,
            AnalysisConcurrency = (int)(Integer(ConfigNames.ServerAnalysisConcurrency, 1, MaxConcurrency) ?? server.AnalysisConcurrency),
            AnalysisQueueLimit = (int)(Integer(ConfigNames.ServerAnalysisQueueLimit, 0, int.MaxValue) ?? server.AnalysisQueueLimit),
            AnalysisTimeoutSeconds = (int)(Integer(ConfigNames.ServerAnalysisTimeoutSeconds, 1, MaxSeconds) ?? server.AnalysisTimeoutSeconds),
            RequestTimeoutSeconds = (int)(Integer(ConfigNames.ServerRequestTimeoutSeconds, 1, MaxSeconds) ?? server.RequestTimeoutSeconds),
            RateLimitPerMinute = (int)(Integer(ConfigNames.ServerRateLimitPerMinute, 0, int.MaxValue) ?? server.RateLimitPerMinute),
        };

        var storage = new StorageOptions();
        storage = new StorageOptions
        {
            Provider = Provider() ?? storage.Provider,
            DataDir = DataDir() ?? Path.GetFullPath(storage.DataDir),
            ConnectionString = settings.Get(ConfigNames.StorageConnectionString)?.Text ?? storage.ConnectionString,
            MaxBinaryBytes = Integer(ConfigNames.StorageMaxBinaryBytes, 1, long.MaxValue) ?? storage.MaxBinaryBytes,
            CacheEntries = (int)(Integer(ConfigNames.StorageCacheEntries, 1, int.MaxValue) ?? storage.CacheEntries),
        };

        var region = BindRegion();

        var auth = new ApiKeyBinder(errors).Bind(settings.ApiKeys);
        return new GhidraOptions { Server = server, Storage = storage, Auth = auth ?? new AuthOptions(), Region = region };
    }

    private string? Text(ConfigName name, Func<string, bool> isValid, string allowed)
    {
        var raw = settings.Get(name);
        if (raw is null || isValid(raw.Text))
        {
            return raw?.Text;
        }

        errors.Add(ConfigErrors.Invalid(name, raw, allowed));
        return null;
    }

    private long? Integer(ConfigName name, long min, long max)
    {
        var raw = settings.Get(name);
        if (raw is null)
        {
            return null;
        }

        if (long.TryParse(raw.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        var allowed = max is int.MaxValue or long.MaxValue
            ? $"must be an integer of at least {min}"
            : $"must be an integer from {min} to {max}";
        errors.Add(ConfigErrors.Invalid(name, raw, allowed));
        return null;
    }

    private bool? Boolean(ConfigName name)
    {
        var raw = settings.Get(name);
        switch (raw?.Text.ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                errors.Add(ConfigErrors.Invalid(name, raw, "must be true or false"));
                return null;
        }
    }

    private string? Provider()
    {
        var raw = settings.Get(ConfigNames.StorageProvider);
        switch (raw?.Text)
        {
            case null or "sqlite":
                return raw?.Text;
            case "postgres":
                errors.Add(ConfigErrors.Invalid(ConfigNames.StorageProvider, raw, "postgres is not available in this version; use sqlite"));
                return null;
            default:
                errors.Add(ConfigErrors.Invalid(ConfigNames.StorageProvider, raw, "must be sqlite (postgres is not available in this version)"));
                return null;
        }
    }

    /// <summary>Absolute; a relative path is taken from the config file's folder, or from the current one for env and flags.</summary>
    private string? DataDir()
    {
        var raw = settings.Get(ConfigNames.StorageDataDir);
        if (raw is null)
        {
            return null;
        }

        try
        {
            if (raw.Text.Trim().Length > 0)
            {
                return Path.GetFullPath(raw.Text, raw.BaseDirectory ?? Directory.GetCurrentDirectory());
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // Reported below.
        }

        errors.Add(ConfigErrors.Invalid(ConfigNames.StorageDataDir, raw, "must be a folder path"));
        return null;
    }
}
