using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Http.Tls;

/// <summary>
/// A server certificate read from PEM files (certificate with its chain, private key), read again when either file changes: a
/// renewed certificate is served from the next TLS handshake on, without a restart. A change that cannot be read (a half-written
/// file, a key that does not match) is logged once, and the certificate in use stays.
/// </summary>
public sealed class ReloadingCertificate
{
    /// <summary>How often the files are looked at, at most (only when a handshake asks for the certificate).</summary>
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private X509Certificate2 _current;
    private (DateTime, long, DateTime, long) _stamp;
    private (DateTime, long, DateTime, long)? _refusedStamp;
    private long _checkedAt;

    /// <exception cref="InvalidOperationException">The files cannot be read as a certificate and its key (one line, for the start to say).</exception>
    public ReloadingCertificate(string certificateFile, string keyFile, ILogger logger, TimeProvider? time = null)
    {
        _certificateFile = certificateFile;
        _keyFile = keyFile;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _stamp = Stamp();
        _current = Load(certificateFile, keyFile);
        _checkedAt = _time.GetTimestamp();
    }

    /// <summary>The certificate to present now (after a look at the files when the last one is older than <see cref="CheckInterval"/>).</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (_time.GetElapsedTime(Interlocked.Read(ref _checkedAt)) >= CheckInterval)
            {
                CheckForChange();
            }
            return Volatile.Read(ref _current);
        }
    }

    /// <summary>Reads a PEM certificate and key into a certificate usable by a TLS server.</summary>
    /// <exception cref="InvalidOperationException">With the file and the reason, in one line.</exception>
    public static X509Certificate2 Load(string certificateFile, string keyFile)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            // Exported and read back, so the private key is usable by every TLS backend (an ephemeral PEM key is not everywhere).
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"the TLS certificate {certificateFile} with key {keyFile} cannot be used: {exception.Message}", exception);
        }
    }

    private void CheckForChange()
    {
        lock (_gate)
        {
            if (_time.GetElapsedTime(Interlocked.Read(ref _checkedAt)) < CheckInterval)
            {
                return;
            }
            Interlocked.Exchange(ref _checkedAt, _time.GetTimestamp());
            var stamp = Stamp();
            if (stamp == _stamp || stamp == _refusedStamp)
            {
                return;
            }
            try
            {
                var next = Load(_certificateFile, _keyFile);
                Volatile.Write(ref _current, next);
                _stamp = stamp;
                _refusedStamp = null;
                Log.CertificateReloaded(_logger, _certificateFile, next.Subject, next.NotAfter.ToUniversalTime());
            }
            catch (InvalidOperationException exception)
            {
                _refusedStamp = stamp;
                Log.CertificateReloadFailed(_logger, exception.Message);
            }
        }
    }

    private (DateTime, long, DateTime, long) Stamp()
    {
        var (certificate, key) = (new FileInfo(_certificateFile), new FileInfo(_keyFile));
        return (certificate.Exists ? certificate.LastWriteTimeUtc : default, certificate.Exists ? certificate.Length : -1,
            key.Exists ? key.LastWriteTimeUtc : default, key.Exists ? key.Length : -1);
    }
}
