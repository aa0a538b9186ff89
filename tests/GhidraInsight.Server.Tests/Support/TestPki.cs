using System.Security.Cryptography.X509Certificates;
using GhidraInsight.Http.Tls;

namespace GhidraInsight.Server.Tests.Support;

/// <summary>A deployment's CA and certificates it issues, as PEM files in a folder of the test's own; a second CA for "wrong CA" cases.</summary>
internal sealed class TestPki : IDisposable
{
    private readonly TempFolder _folder = new("ghidrainsight-pki-");
    private readonly X509Certificate2 _authority;
    private int _issued;

    public TestPki(string name = "Test deployment CA")
    {
        var now = DateTimeOffset.UtcNow;
        _authority = ThrowawayCertificates.CreateAuthority(name, now.AddDays(-30), now.AddDays(30));
        CaFile = Path.Combine(_folder.Path, "ca.crt");
        File.WriteAllText(CaFile, _authority.ExportCertificatePem() + "\n");
    }

    public string CaFile { get; }

    /// <summary>A certificate for 127.0.0.1 and localhost, valid now (or from/until the given offsets from now): its PEM files.</summary>
    public (string CertificateFile, string KeyFile, string Serial) Issue(TimeSpan? validFrom = null, TimeSpan? validUntil = null)
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = ThrowawayCertificates.Issue(_authority, "region", ["127.0.0.1", "localhost"], now + (validFrom ?? TimeSpan.FromDays(-1)),
            now + (validUntil ?? TimeSpan.FromDays(10)));
        var n = Interlocked.Increment(ref _issued);
        var (certificateFile, keyFile) = (Path.Combine(_folder.Path, $"issued-{n}.crt"), Path.Combine(_folder.Path, $"issued-{n}.key"));
        ThrowawayCertificates.WritePem(certificate, certificateFile, keyFile);
        return (certificateFile, keyFile, certificate.SerialNumber);
    }

    public void Dispose()
    {
        _authority.Dispose();
        _folder.Dispose();
    }
}
