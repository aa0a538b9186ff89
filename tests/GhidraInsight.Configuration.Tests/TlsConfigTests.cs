using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

/// <summary>The TLS keys: a group within a section in YAML and the environment, pairs that go together, and TLS beyond loopback.</summary>
public sealed class TlsConfigTests
{
    private const string Keys = "auth:\n  api_keys:\n    - { name: ci, role: read, key: k-0123 }\n";

    [Fact]
    public void TheTlsGroup_IsReadFromYamlAndFromTheEnvironment_AsAbsolutePaths()
    {
        using var folder = new ConfigFolder("server:\n  host: 0.0.0.0\n  tls:\n    cert_file: ./tls/region.crt\n    key_file: ./tls/region.key\n" + Keys);

        var options = folder.Load();
        var overridden = folder.Load(new() { ["GHIDRA_SERVER__TLS__CERT_FILE"] = "/etc/ghidra/other.crt" });

        Assert.Equal(Path.Combine(folder.Path, "tls", "region.crt"), options.Server.TlsCertFile);
        Assert.Equal(Path.Combine(folder.Path, "tls", "region.key"), options.Server.TlsKeyFile);
        Assert.True(options.Server.UsesTls);
        Assert.Equal("/etc/ghidra/other.crt", overridden.Server.TlsCertFile);
    }

    [Fact]
    public void ATlsGroupThatIsNotAMapping_OrHoldsAnUnknownKey_IsOneLineEach()
    {
        using var notMapping = new ConfigFolder("server:\n  tls: yes\n");
        using var unknown = new ConfigFolder("server:\n  tls:\n    cert: ./a.crt\n");

        Assert.Equal($"server.tls (line 2 of {notMapping.ConfigPath}): must be a mapping of keys: cert_file, key_file", Assert.Single(notMapping.LoadFails().Errors));
        Assert.StartsWith("server.tls.cert (line 3", Assert.Single(unknown.LoadFails().Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void ACertificateWithoutItsKey_AndMutualTlsWithoutACa_AreRefused()
    {
        using var folder = new ConfigFolder("server:\n  tls:\n    cert_file: ./a.crt\nregion:\n  client_cert_file: ./c.crt\n  client_key_file: ./c.key\n");

        var errors = folder.LoadFails().Errors;

        Assert.Contains("server.tls.cert_file (GHIDRA_SERVER__TLS__CERT_FILE): set without server.tls.key_file (GHIDRA_SERVER__TLS__KEY_FILE); a certificate and its private key go together", errors);
        Assert.Contains("region.client_cert_file (GHIDRA_REGION__CLIENT_CERT_FILE): mutual TLS needs region.ca_file (GHIDRA_REGION__CA_FILE), the CA the regions' client certificates are checked against", errors);
    }

    [Theory]
    [InlineData("server")]
    [InlineData("gateway")]
    public void AHostBeyondLoopback_NeedsTlsOrAllowInsecureHttp_EvenWithKeys(string section)
    {
        using var plain = new ConfigFolder($"{section}:\n  host: 0.0.0.0\n" + Keys);
        using var insecure = new ConfigFolder($"{section}:\n  host: 0.0.0.0\n  allow_insecure_http: true\n" + Keys);
        using var tls = new ConfigFolder($"{section}:\n  host: 0.0.0.0\n  tls:\n    cert_file: ./a.crt\n    key_file: ./a.key\n" + Keys);
        var upper = section.ToUpperInvariant();

        Assert.Equal($"{section}.host (GHIDRA_{upper}__HOST) = '0.0.0.0': listening beyond loopback needs TLS ({section}.tls.cert_file (GHIDRA_{upper}__TLS__CERT_FILE) "
            + $"and its key_file), or {section}.allow_insecure_http (GHIDRA_{upper}__ALLOW_INSECURE_HTTP) true when a proxy in front terminates TLS",
            Assert.Single(plain.LoadFails().Errors));
        insecure.Load();
        tls.Load();
    }
}
