namespace GhidraInsight.Configuration;

/// <summary>
/// The <c>gateway:</c> section: the global load balancer in front of every region (<c>ghidrainsight gateway</c>, and port 3000
/// of <c>up</c>). It reads the regions' endpoints from <c>region:</c> and the upload limit from <c>server:</c>. Keys, rules and
/// reloadability are declared once in <c>GatewaySettings</c>.
/// </summary>
public sealed record GatewayOptions
{
    /// <summary>Address to listen on; anything but loopback requires API keys (<c>auth.api_keys</c>).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port to listen on; 0 asks the system for a free one.</summary>
    public int Port { get; init; } = 3000;

    /// <summary>Milliseconds between active probes of each region's <c>/health</c>. Reloadable.</summary>
    public int ProbeIntervalMs { get; init; } = 2000;

    /// <summary>Consecutive good probes that bring a region that was taken out back. Reloadable.</summary>
    public int SuccessThreshold { get; init; } = 2;

    /// <summary>Further regions one request may be tried on after the first fails (idempotent requests, refused strong writes). Reloadable.</summary>
    public int RetryBudget { get; init; } = 2;

    /// <summary>Milliseconds a connection to a region may take before the next region is tried.</summary>
    public int ConnectTimeoutMs { get; init; } = 1000;

    /// <summary>PEM certificate the gateway serves HTTPS with (key <c>tls.cert_file</c>); reloaded when the files change.</summary>
    public string? TlsCertFile { get; init; }

    /// <summary>PEM private key of <see cref="TlsCertFile"/> (key <c>tls.key_file</c>).</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>Listen beyond loopback over plain HTTP (behind a TLS-terminating balancer); warned at start.</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>Whether HTTPS is configured.</summary>
    public bool UsesTls => TlsCertFile is not null && TlsKeyFile is not null;

    /// <summary>Whether <see cref="Host"/> is loopback (127.0.0.0/8, ::1, localhost): nothing beyond this machine can connect.</summary>
    public bool ListensOnLoopback => ValueRules.IsLoopback(Host);
}
