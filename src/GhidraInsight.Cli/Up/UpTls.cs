using System.Security.Cryptography.X509Certificates;
using GhidraInsight.Http.Tls;

namespace GhidraInsight.Cli.Up;

/// <summary>
/// The certificates of <c>up --tls</c>, under <c>DATA/tls</c>: a throwaway CA (<c>ca.crt</c>, the file clients trust) and one
/// certificate it issued for 127.0.0.1 and localhost, which every region and the gateway serve HTTPS with and the regions present
/// to each other as client certificate (mutual TLS). Made once and kept while valid for another day; made again otherwise.
/// </summary>
internal sealed record UpTls(string CaFile, string CertificateFile, string KeyFile)
{
    private static readonly TimeSpan Validity = TimeSpan.FromDays(30);

    public static UpTls Ensure(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "tls");
        Directory.CreateDirectory(folder);
        var tls = new UpTls(Path.Combine(folder, "ca.crt"), Path.Combine(folder, "localhost.crt"), Path.Combine(folder, "localhost.key"));
        if (!tls.StillValid())
        {
            var now = DateTimeOffset.UtcNow;
            using var authority = ThrowawayCertificates.CreateAuthority("GhidraInsight up (throwaway CA)", now.AddMinutes(-5), now + Validity);
            using var certificate = ThrowawayCertificates.Issue(authority, "GhidraInsight up", ["127.0.0.1", "::1", "localhost"], now.AddMinutes(-5), now + Validity);
            File.WriteAllText(tls.CaFile, authority.ExportCertificatePem() + "\n");
            ThrowawayCertificates.WritePem(certificate, tls.CertificateFile, tls.KeyFile);
        }
        return tls;
    }

    private bool StillValid()
    {
        try
        {
            using var certificate = ReloadingCertificate.Load(CertificateFile, KeyFile);
            using var authority = X509CertificateLoader.LoadCertificateFromFile(CaFile);
            return certificate.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(1) && authority.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(1);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.Security.Cryptography.CryptographicException or IOException)
        {
            return false;
        }
    }
}
