namespace GhidraInsight.Configuration;

/// <summary>The keys of <c>gateway:</c>, each declared once.</summary>
internal static class GatewaySettings
{
    public static readonly Setting<GatewayOptions, string> Host =
        new("gateway.host", TextRule.Host, o => o.Host, (o, v) => o with { Host = v });

    public static readonly Setting<GatewayOptions, int> Port =
        new("gateway.port", new IntegerRule<int>(0, 65_535), o => o.Port, (o, v) => o with { Port = v });

    public static readonly Setting<GatewayOptions, int> ProbeIntervalMs =
        new("gateway.probe_interval_ms", new IntegerRule<int>(100, 600_000), o => o.ProbeIntervalMs, (o, v) => o with { ProbeIntervalMs = v })
        {
            IsReloadable = true,
        };

    public static readonly Setting<GatewayOptions, int> SuccessThreshold =
        new("gateway.success_threshold", new IntegerRule<int>(1, 100), o => o.SuccessThreshold, (o, v) => o with { SuccessThreshold = v })
        {
            IsReloadable = true,
        };

    public static readonly Setting<GatewayOptions, int> RetryBudget =
        new("gateway.retry_budget", new IntegerRule<int>(0, 10), o => o.RetryBudget, (o, v) => o with { RetryBudget = v }) { IsReloadable = true };

    public static readonly Setting<GatewayOptions, int> ConnectTimeoutMs =
        new("gateway.connect_timeout_ms", new IntegerRule<int>(50, 60_000), o => o.ConnectTimeoutMs, (o, v) => o with { ConnectTimeoutMs = v });

    public static readonly Setting<GatewayOptions, string?> TlsCertFile = new("gateway.tls.cert_file", TlsFiles.Certificate, o => o.TlsCertFile, (o, v) => o with { TlsCertFile = v });

    public static readonly Setting<GatewayOptions, string?> TlsKeyFile = new("gateway.tls.key_file", TlsFiles.Key, o => o.TlsKeyFile, (o, v) => o with { TlsKeyFile = v });

    public static readonly Setting<GatewayOptions, bool> AllowInsecureHttp =
        new("gateway.allow_insecure_http", BooleanRule.Instance, o => o.AllowInsecureHttp, (o, v) => o with { AllowInsecureHttp = v });

    public static readonly OptionsSection<GatewayOptions> Section = new("gateway", o => o.Gateway, (o, s) => o with { Gateway = s },
        [Host, Port, ProbeIntervalMs, SuccessThreshold, RetryBudget, ConnectTimeoutMs, TlsCertFile, TlsKeyFile, AllowInsecureHttp]);
}
