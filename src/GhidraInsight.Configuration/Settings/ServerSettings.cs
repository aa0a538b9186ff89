namespace GhidraInsight.Configuration;

/// <summary>The keys of <c>server:</c>, each declared once: path, rule, property, and whether a reload applies it.</summary>
internal static class ServerSettings
{
    private const int MaxSeconds = 86_400;

    public static readonly Setting<ServerOptions, string> Host =
        new("server.host", TextRule.Host, o => o.Host, (o, v) => o with { Host = v });

    // 0 asks the system for a free port (tests, and `up` when it picks ports itself).
    public static readonly Setting<ServerOptions, int> Port =
        new("server.port", new IntegerRule<int>(0, 65_535), o => o.Port, (o, v) => o with { Port = v });

    public static readonly Setting<ServerOptions, long> MaxUploadBytes =
        new("server.max_upload_bytes", new IntegerRule<long>(1), o => o.MaxUploadBytes, (o, v) => o with { MaxUploadBytes = v });

    public static readonly Setting<ServerOptions, int> AnalysisConcurrency =
        new("server.analysis_concurrency", new IntegerRule<int>(1, 1024), o => o.AnalysisConcurrency, (o, v) => o with { AnalysisConcurrency = v });

    public static readonly Setting<ServerOptions, int> AnalysisQueueLimit =
        new("server.analysis_queue_limit", new IntegerRule<int>(0), o => o.AnalysisQueueLimit, (o, v) => o with { AnalysisQueueLimit = v });

    public static readonly Setting<ServerOptions, int> AnalysisTimeoutSeconds =
        new("server.analysis_timeout_seconds", new IntegerRule<int>(1, MaxSeconds), o => o.AnalysisTimeoutSeconds, (o, v) => o with { AnalysisTimeoutSeconds = v });

    public static readonly Setting<ServerOptions, int> RequestTimeoutSeconds =
        new("server.request_timeout_seconds", new IntegerRule<int>(1, MaxSeconds), o => o.RequestTimeoutSeconds, (o, v) => o with { RequestTimeoutSeconds = v });

    public static readonly Setting<ServerOptions, int> RateLimitPerMinute =
        new("server.rate_limit_per_minute", new IntegerRule<int>(0), o => o.RateLimitPerMinute, (o, v) => o with { RateLimitPerMinute = v })
        {
            IsReloadable = true,
        };

    public static readonly Setting<ServerOptions, string?> TlsCertFile = new("server.tls.cert_file", TlsFiles.Certificate, o => o.TlsCertFile, (o, v) => o with { TlsCertFile = v });

    public static readonly Setting<ServerOptions, string?> TlsKeyFile = new("server.tls.key_file", TlsFiles.Key, o => o.TlsKeyFile, (o, v) => o with { TlsKeyFile = v });

    public static readonly Setting<ServerOptions, bool> AllowInsecureHttp =
        new("server.allow_insecure_http", BooleanRule.Instance, o => o.AllowInsecureHttp, (o, v) => o with { AllowInsecureHttp = v });

    public static readonly OptionsSection<ServerOptions> Section = new("server", o => o.Server, (o, s) => o with { Server = s },
        [
            Host, Port, MaxUploadBytes, AnalysisConcurrency, AnalysisQueueLimit, AnalysisTimeoutSeconds, RequestTimeoutSeconds, RateLimitPerMinute,
            TlsCertFile, TlsKeyFile, AllowInsecureHttp,
        ]);
}
