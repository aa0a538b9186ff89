using System.Security.Cryptography;
using System.Text;
using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

public sealed class ApiKeyTests
{
    private static readonly string ReadHash = new('a', 64);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    [InlineData("::")]
    public void Load_NonLoopbackHostWithoutKeys_IsRefused(string host)
    {
        using var folder = new ConfigFolder();

        // Plain HTTP allowed, so only the keys are in question (TLS has its own tests).
        var error = folder.LoadFails(new() { ["GHIDRA_SERVER__HOST"] = host, ["GHIDRA_SERVER__ALLOW_INSECURE_HTTP"] = "true" });

        Assert.Equal(
            $"server.host (GHIDRA_SERVER__HOST) = '{host}': listening beyond loopback requires API keys (auth.api_keys or GHIDRA_AUTH__API_KEYS)",
            Assert.Single(error.Errors));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void Load_GatewayOnANonLoopbackHostWithoutKeys_IsRefused(string host)
    {
        using var folder = new ConfigFolder();

        var error = folder.LoadFails(new() { ["GHIDRA_GATEWAY__HOST"] = host, ["GHIDRA_GATEWAY__ALLOW_INSECURE_HTTP"] = "true" });

        Assert.Equal(
            $"gateway.host (GHIDRA_GATEWAY__HOST) = '{host}': listening beyond loopback requires API keys (auth.api_keys or GHIDRA_AUTH__API_KEYS)",
            Assert.Single(error.Errors));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.5.6.7")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void Load_LoopbackHostWithoutKeys_IsAccepted(string host)
    {
        using var folder = new ConfigFolder();

        Assert.Equal(host, folder.Load(new() { ["GHIDRA_SERVER__HOST"] = host }).Server.Host);
    }

    [Fact]
    public void Load_NonLoopbackHostWithKeys_IsAccepted()
    {
        using var folder = new ConfigFolder($"server:\n  host: 0.0.0.0\n  allow_insecure_http: true\nauth:\n  api_keys:\n    - name: ci\n      role: read\n      key_sha256: {ReadHash}\n");

        var options = folder.Load();

        Assert.Equal("0.0.0.0", options.Server.Host);
        Assert.Equal(new ApiKeyOptions { Name = "ci", Role = ApiRole.Read, KeySha256 = ReadHash }, Assert.Single(options.Auth.ApiKeys));
    }

    [Fact]
    public void RequireKeysForNonLoopback_OnOptionsBuiltByHand_Throws()
    {
        var options = new GhidraOptions { Server = new ServerOptions { Host = "10.0.0.1", AllowInsecureHttp = true } };

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.RequireKeysForNonLoopback(options));

        Assert.Single(error.Errors);
        ConfigLoader.RequireKeysForNonLoopback(new GhidraOptions());
    }

    [Fact]
    public void Load_PlaintextKeyInYaml_IsHashedAndNotKept()
    {
        using var folder = new ConfigFolder("auth:\n  api_keys:\n    - { name: ops, role: admin, key: hunter2-hunter2 }\n");

        var options = folder.Load();

        var key = Assert.Single(options.Auth.ApiKeys);
        Assert.Equal(Sha256("hunter2-hunter2"), key.KeySha256);
        Assert.Equal(ConfigLoader.HashApiKey("hunter2-hunter2"), key.KeySha256);
        Assert.Matches("^[0-9a-f]{64}$", key.KeySha256);
        Assert.DoesNotContain("hunter2", key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ConfigWriter.ToYaml(options), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UppercaseKeySha256_IsStoredLowercase()
    {
        using var folder = new ConfigFolder($"auth:\n  api_keys:\n    - {{ name: ci, role: read, key_sha256: {new string('A', 64)} }}\n");

        Assert.Equal(ReadHash, Assert.Single(folder.Load().Auth.ApiKeys).KeySha256);
    }

    [Fact]
    public void Load_ApiKeysFromEnvironment_AreParsedAndReplaceTheFilesKeys()
    {
        using var folder = new ConfigFolder($"auth:\n  api_keys:\n    - {{ name: old, role: read, key_sha256: {ReadHash} }}\n");

        var options = folder.Load(new() { ["GHIDRA_AUTH__API_KEYS"] = "ci:analyze:k1, ops:admin:with:colon ," });

        Assert.Equal(
            [
                new ApiKeyOptions { Name = "ci", Role = ApiRole.Analyze, KeySha256 = Sha256("k1") },
                new ApiKeyOptions { Name = "ops", Role = ApiRole.Admin, KeySha256 = Sha256("with:colon") },
            ],
            options.Auth.ApiKeys);
    }

    [Fact]
    public void Load_BadRoleInYaml_NamesEntryValueAndLine()
    {
        using var folder = new ConfigFolder($"auth:\n  api_keys:\n    - name: ci\n      role: superuser\n      key_sha256: {ReadHash}\n");

        var error = folder.LoadFails();

        Assert.Equal(
            $"auth.api_keys[0].role (GHIDRA_AUTH__API_KEYS) = 'superuser': must be one of read, analyze, annotate, admin (line 4 of {folder.ConfigPath})",
            Assert.Single(error.Errors));
    }

    [Theory]
    [InlineData("key_sha256: abc", "auth.api_keys[0].key_sha256 (GHIDRA_AUTH__API_KEYS) = 'abc': must be 64 hex characters (the SHA-256 of the key)")]
    [InlineData("key: ''", "auth.api_keys[0].key (GHIDRA_AUTH__API_KEYS) = '***': must not be empty")]
    [InlineData("key: s3cret, key_sha256: abc", "auth.api_keys[0] (GHIDRA_AUTH__API_KEYS)")]
    [InlineData("colour: blue", "auth.api_keys[0].colour (line 3 of")]
    public void Load_BadKeyEntry_IsReported(string fields, string expectedStart)
    {
        using var folder = new ConfigFolder($"auth:\n  api_keys:\n    - {{ name: ci, role: read, {fields} }}\n");

        var errors = folder.LoadFails().Errors;

        Assert.Contains(errors, e => e.StartsWith(expectedStart, StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_DuplicateKeyNames_AreRefused()
    {
        using var folder = new ConfigFolder();

        var error = folder.LoadFails(new() { ["GHIDRA_AUTH__API_KEYS"] = "ci:read:one,ci:admin:two" });

        Assert.Equal("auth.api_keys[1].name (GHIDRA_AUTH__API_KEYS) = 'ci': duplicate name; already used by auth.api_keys[0]", Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_SameKeyTwice_IsRefused()
    {
        using var folder = new ConfigFolder();

        var line = Assert.Single(folder.LoadFails(new() { ["GHIDRA_AUTH__API_KEYS"] = "ci:read:same,ops:admin:same" }).Errors);

        Assert.StartsWith("auth.api_keys[1] (GHIDRA_AUTH__API_KEYS): same key as auth.api_keys[0] ('ci')", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadKeysAndNonLoopbackHost_ReportsOnlyTheKeyProblem()
    {
        using var folder = new ConfigFolder();

        var error = folder.LoadFails(new() { ["GHIDRA_SERVER__HOST"] = "0.0.0.0", ["GHIDRA_SERVER__ALLOW_INSECURE_HTTP"] = "true", ["GHIDRA_AUTH__API_KEYS"] = "ci:boss:k" });

        Assert.StartsWith("auth.api_keys[0].role", Assert.Single(error.Errors), StringComparison.Ordinal);
    }
}
