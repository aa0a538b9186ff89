namespace GhidraInsight.Configuration;

/// <summary>
/// TLS across keys: a certificate goes with its key; a region's client certificate (mutual TLS) needs the CA its peers are
/// checked against; and a listener beyond loopback (a region, the gateway) serves HTTPS unless <c>allow_insecure_http</c> says a
/// proxy in front terminates TLS. Loopback stays plain HTTP by default: nothing else on the machine is on the wire.
/// </summary>
internal static class TlsChecks
{
    public static void Check(GhidraOptions options, ISettingOrigins origins, List<string> failures)
    {
        Pair(ServerSettings.TlsCertFile, options.Server.TlsCertFile, ServerSettings.TlsKeyFile, options.Server.TlsKeyFile, origins, failures);
        Pair(GatewaySettings.TlsCertFile, options.Gateway.TlsCertFile, GatewaySettings.TlsKeyFile, options.Gateway.TlsKeyFile, origins, failures);
        Pair(RegionSettings.ClientCertFile, options.Region.ClientCertFile, RegionSettings.ClientKeyFile, options.Region.ClientKeyFile, origins, failures);
        if (options.Region.ClientCertFile is not null && options.Region.CaFile is null && !origins.Reported(RegionSettings.CaFile))
        {
            failures.Add($"{RegionSettings.ClientCertFile}: mutual TLS needs {RegionSettings.CaFile}, the CA the regions' client certificates are checked against");
        }

        Listener(ServerSettings.Host, options.Server.Host, options.Server.UsesTls, options.Server.AllowInsecureHttp, ServerSettings.TlsCertFile, ServerSettings.AllowInsecureHttp,
            origins, failures);
        Listener(GatewaySettings.Host, options.Gateway.Host, options.Gateway.UsesTls, options.Gateway.AllowInsecureHttp, GatewaySettings.TlsCertFile,
            GatewaySettings.AllowInsecureHttp, origins, failures);
    }

    private static void Pair(ConfigName certificate, string? certificateValue, ConfigName key, string? keyValue, ISettingOrigins origins, List<string> failures)
    {
        if ((certificateValue is null) != (keyValue is null) && !origins.Reported(certificate) && !origins.Reported(key))
        {
            var (given, missing) = certificateValue is null ? (key, certificate) : (certificate, key);
            failures.Add($"{given}: set without {missing}; a certificate and its private key go together");
        }
    }

    private static void Listener(ConfigName host, string value, bool tls, bool insecure, ConfigName certificate, ConfigName allowInsecure, ISettingOrigins origins,
        List<string> failures)
    {
        if (!tls && !insecure && !origins.Reported(host) && !ValueRules.IsLoopback(value))
        {
            failures.Add($"{host} = '{ConfigErrors.Show(value)}': listening beyond loopback needs TLS ({certificate} and its key_file), "
                + $"or {allowInsecure} true when a proxy in front terminates TLS");
        }
    }
}
