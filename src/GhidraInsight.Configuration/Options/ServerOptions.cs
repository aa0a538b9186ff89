namespace GhidraInsight.Configuration;

/// <summary>The <c>server:</c> section. Keys, rules and reloadability are declared once in <c>ServerSettings</c>.</summary>
public sealed record ServerOptions
{
    /// <summary>Address to listen on; anything but loopback requires API keys.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 asks the system for a free one.</summary>
    public int Port { get; init; } = 3101;

    /// <summary>Largest upload accepted, bytes (413 above).</summary>
    public long MaxUploadBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Analyses running at once.</summary>
    public int AnalysisConcurrency { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Analyses waiting beyond the running ones before new ones get 503 with Retry-After.</summary>
    public int AnalysisQueueLimit { get; init; } = 16;

    /// <summary>Time budget of one analysis, seconds.</summary>
    public int AnalysisTimeoutSeconds { get; init; } = 60;

    /// <summary>Whole-request timeout, seconds.</summary>
    public int RequestTimeoutSeconds { get; init; } = 120;

    /// <summary>Requests per minute per API key (or per client address without keys); 0 turns the limit off. Reloadable.</summary>
    public int RateLimitPerMinute { get; init; } = 600;

    /// <summary>
    /// PEM certificate (with its chain) for HTTPS (key <c>tls.cert_file</c>); with <see cref="TlsKeyFile"/>, the region serves
    /// HTTPS only, HTTP/2 and HTTP/1.1. Read again when the files change, so a renewed certificate needs no restart.
    /// </summary>
    public string? TlsCertFile { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertFile"/> (key <c>tls.key_file</c>).</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>
    /// Listen beyond loopback over plain HTTP (behind a proxy that terminates TLS); without it such a host needs TLS. Warned at start.
    /// </summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>Whether HTTPS is configured.</summary>
    public bool UsesTls => TlsCertFile is not null && TlsKeyFile is not null;

    /// <summary>Whether <see cref="Host"/> is loopback (127.0.0.0/8, ::1, localhost): nothing beyond this machine can connect.</summary>
    public bool ListensOnLoopback => ValueRules.IsLoopback(Host);
}
