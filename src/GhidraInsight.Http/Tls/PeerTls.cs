using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Http.Tls;

/// <summary>
/// TLS between the parts of a deployment (region to region, gateway to region): <c>https://</c> endpoints verified against the
/// deployment's CA (<c>region.ca_file</c>) instead of the system's trust store, and with mutual TLS a client certificate
/// presented to peers and required of them. Without a CA file the system's trust store decides, as for any HTTPS client.
/// </summary>
public sealed class PeerTls
{
    private readonly X509Certificate2Collection? _authorities;
    private readonly X509Certificate2? _clientCertificate;
    private readonly ILogger _logger;

    /// <exception cref="InvalidOperationException">A file cannot be read (one line, for the start to say).</exception>
    public PeerTls(string? caFile, string? clientCertFile, string? clientKeyFile, ILogger logger)
    {
        _logger = logger;
        if (caFile is not null)
        {
            try
            {
                _authorities = [];
                _authorities.ImportFromPemFile(caFile);
            }
            catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"the CA file {caFile} cannot be read: {exception.Message}", exception);
            }
            if (_authorities.Count == 0)
            {
                throw new InvalidOperationException($"the CA file {caFile} holds no PEM certificate");
            }
        }
        if (clientCertFile is not null && clientKeyFile is not null)
        {
            _clientCertificate = ReloadingCertificate.Load(clientCertFile, clientKeyFile);
        }
    }

    /// <summary>The trust of <paramref name="region"/>'s section: <c>ca_file</c>, and <c>client_cert_file</c> with its key.</summary>
    public static PeerTls For(GhidraInsight.Configuration.RegionOptions region, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(region);
        return new PeerTls(region.CaFile, region.ClientCertFile, region.ClientKeyFile, logger);
    }

    /// <summary>No CA, no client certificate: the system's trust store, as any HTTPS client.</summary>
    public static PeerTls SystemTrust(ILogger logger) => new(null, null, null, logger);

    /// <summary>Whether peers must present a client certificate on inter-region endpoints (mutual TLS is on).</summary>
    public bool RequiresClientCertificates => _clientCertificate is not null;

    /// <summary>Makes <paramref name="handler"/> verify servers against the CA, and present the client certificate.</summary>
    public SocketsHttpHandler Apply(SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_authorities is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = ValidateServer;
        }
        if (_clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [_clientCertificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => _clientCertificate;
        }
        return handler;
    }

    /// <summary>Kestrel's check of a client certificate: it must chain to the CA. Only asked when a client presents one.</summary>
    public bool ValidateClient(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (_authorities is null)
        {
            return errors == SslPolicyErrors.None;
        }
        if (ChainProblem(certificate) is not { } problem)
        {
            return true;
        }
        Log.PeerCertificateRefused(_logger, "client", certificate.Subject, problem);
        return false;
    }

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            Log.PeerCertificateRefused(_logger, "server", "(none)", "the server presented no certificate");
            return false;
        }
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            Log.PeerCertificateRefused(_logger, "server", presented.Subject, "its names do not include the host that was called");
            return false;
        }
        if (ChainProblem(presented) is not { } problem)
        {
            return true;
        }
        Log.PeerCertificateRefused(_logger, "server", presented.Subject, problem);
        return false;
    }

    /// <summary>Why <paramref name="certificate"/> does not chain to the CA now (expired, another CA…), or null when it does.</summary>
    private string? ChainProblem(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities!);
        // A throwaway deployment CA publishes no revocation lists; revocation is by rotating the CA.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate))
        {
            return null;
        }
        var reasons = chain.ChainStatus.Select(status => status.Status switch
        {
            X509ChainStatusFlags.NotTimeValid => $"expired or not yet valid (valid {certificate.NotBefore:u} to {certificate.NotAfter:u})",
            X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain => "not signed by the deployment's CA (region.ca_file)",
            _ => status.StatusInformation.Trim(),
        }).Distinct();
        return string.Join("; ", reasons);
    }
}
