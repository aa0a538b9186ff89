using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

public sealed class ConfigWriterTests
{
    [Fact]
    public void ToYaml_ReadBack_GivesEqualOptions()
    {
        using var folder = new ConfigFolder();
        var original = folder.Load(new()
        {
            ["GHIDRA_SERVER__HOST"] = "0.0.0.0",
            ["GHIDRA_SERVER__PORT"] = "3102",
            // A group within a section: written as server: tls: cert_file:, read back the same.
            ["GHIDRA_SERVER__TLS__CERT_FILE"] = Path.Combine(folder.Path, "tls", "region.crt"),
            ["GHIDRA_SERVER__TLS__KEY_FILE"] = Path.Combine(folder.Path, "tls", "region.key"),
            ["GHIDRA_SERVER__ANALYSIS_QUEUE_LIMIT"] = "0",
            ["GHIDRA_STORAGE__DATA_DIR"] = Path.Combine(folder.Path, "data dir", "eu-west-1"),
            ["GHIDRA_AUTH__API_KEYS"] = "ci:read:k1,ops:admin:k2",
            ["GHIDRA_REGION_ENABLED"] = "true",
            ["GHIDRA_REGION_CURRENT"] = "eu-west-1",
            ["GHIDRA_REGION_PRIMARY"] = "us-east-1",
            ["GHIDRA_REGION__REGIONS"] = "us-east-1,eu-west-1",
            ["GHIDRA_REGION__ENDPOINTS"] = "us-east-1=http://127.0.0.1:3101,eu-west-1=http://127.0.0.1:3102",
            ["GHIDRA_REGION__SECRET_FILE"] = WriteSecret(folder),
        });

        File.WriteAllText(folder.ConfigPath, ConfigWriter.ToYaml(original));
        var readBack = folder.Load();

        Assert.Equal(original, readBack);
        Assert.Contains("\n  tls:\n    cert_file: ", File.ReadAllText(folder.ConfigPath), StringComparison.Ordinal);
        Assert.Equal(2, readBack.Auth.ApiKeys.Count);
    }

    private static string WriteSecret(ConfigFolder folder)
    {
        var path = Path.Combine(folder.Path, "region-secret");
        File.WriteAllText(path, "0123456789abcdef0123\n");
        return path;
    }

    [Fact]
    public void ToYaml_OfDefaults_ReadsBackToDefaults()
    {
        using var folder = new ConfigFolder();
        var defaults = folder.Load();

        File.WriteAllText(folder.ConfigPath, ConfigWriter.ToYaml(defaults));

        Assert.Equal(defaults, folder.Load());
    }

    [Fact]
    public void ToYaml_WritesKeysAsHashesOnly()
    {
        using var folder = new ConfigFolder();
        var options = folder.Load(new() { ["GHIDRA_AUTH__API_KEYS"] = "ci:annotate:plain-key" });

        var yaml = ConfigWriter.ToYaml(options);

        Assert.Contains("key_sha256: " + ConfigLoader.HashApiKey("plain-key"), yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-key", yaml, StringComparison.Ordinal);
        Assert.Contains("role: annotate", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthOptions_WithEqualKeysInDifferentLists_AreEqual()
    {
        var key = new ApiKeyOptions { Name = "a", Role = ApiRole.Read, KeySha256 = new string('0', 64) };

        Assert.Equal(new AuthOptions { ApiKeys = [key] }, new AuthOptions { ApiKeys = new List<ApiKeyOptions> { key } });
        Assert.NotEqual(new AuthOptions { ApiKeys = [key] }, new AuthOptions());
    }
}
