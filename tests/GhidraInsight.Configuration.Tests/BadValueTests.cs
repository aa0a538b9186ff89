using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

public sealed class BadValueTests
{
    public static TheoryData<string, string, string> BadEnvironmentValues => new()
    {
        { "GHIDRA_SERVER__PORT", "70000", "server.port (GHIDRA_SERVER__PORT) = '70000': must be an integer from 0 to 65535" },
        { "GHIDRA_SERVER__PORT", "-1", "server.port (GHIDRA_SERVER__PORT) = '-1': must be an integer from 0 to 65535" },
        { "GHIDRA_SERVER__PORT", "http", "server.port (GHIDRA_SERVER__PORT) = 'http': must be an integer from 0 to 65535" },
        { "GHIDRA_SERVER__HOST", "example.com", "server.host (GHIDRA_SERVER__HOST) = 'example.com': must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1) or localhost" },
        { "GHIDRA_SERVER__HOST", "127.1", "server.host (GHIDRA_SERVER__HOST) = '127.1': must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1) or localhost" },
        { "GHIDRA_SERVER__MAX_UPLOAD_BYTES", "-5", "server.max_upload_bytes (GHIDRA_SERVER__MAX_UPLOAD_BYTES) = '-5': must be an integer of at least 1" },
        { "GHIDRA_SERVER__ANALYSIS_CONCURRENCY", "0", "server.analysis_concurrency (GHIDRA_SERVER__ANALYSIS_CONCURRENCY) = '0': must be an integer from 1 to 1024" },
        { "GHIDRA_SERVER__ANALYSIS_QUEUE_LIMIT", "-1", "server.analysis_queue_limit (GHIDRA_SERVER__ANALYSIS_QUEUE_LIMIT) = '-1': must be an integer of at least 0" },
        { "GHIDRA_SERVER__ANALYSIS_TIMEOUT_SECONDS", "1.5", "server.analysis_timeout_seconds (GHIDRA_SERVER__ANALYSIS_TIMEOUT_SECONDS) = '1.5': must be an integer from 1 to 86400" },
        { "GHIDRA_SERVER__REQUEST_TIMEOUT_SECONDS", "0", "server.request_timeout_seconds (GHIDRA_SERVER__REQUEST_TIMEOUT_SECONDS) = '0': must be an integer from 1 to 86400" },
        { "GHIDRA_SERVER__RATE_LIMIT_PER_MINUTE", "lots", "server.rate_limit_per_minute (GHIDRA_SERVER__RATE_LIMIT_PER_MINUTE) = 'lots': must be an integer of at least 0" },
        { "GHIDRA_STORAGE__PROVIDER", "mysql", "storage.provider (GHIDRA_STORAGE__PROVIDER) = 'mysql': must be sqlite or postgres" },
        { "GHIDRA_STORAGE__DATA_DIR", "   ", "storage.data_dir (GHIDRA_STORAGE__DATA_DIR) = '   ': must be a folder path" },
        { "GHIDRA_STORAGE__MAX_BINARY_BYTES", "99999999999999999999", "storage.max_binary_bytes (GHIDRA_STORAGE__MAX_BINARY_BYTES) = '99999999999999999999': must be an integer of at least 1" },
        { "GHIDRA_STORAGE__CACHE_ENTRIES", "0", "storage.cache_entries (GHIDRA_STORAGE__CACHE_ENTRIES) = '0': must be an integer of at least 1" },
        { "GHIDRA_REGION__ENABLED", "yes", "region.enabled (GHIDRA_REGION__ENABLED) = 'yes': must be true or false" },
        { "GHIDRA_REGION_REPLICATION_ENABLED", "maybe", "region.replication_enabled (GHIDRA_REGION_REPLICATION_ENABLED) = 'maybe': must be true or false" },
        { "GHIDRA_REGION__CURRENT_REGION", "x", "region.current_region (GHIDRA_REGION__CURRENT_REGION) = 'x': must be a region name like us-east-1: 2 to 32 lowercase letters, digits and hyphens" },
        { "GHIDRA_REGION_PRIMARY", "Us-East-1", "region.primary_region (GHIDRA_REGION_PRIMARY) = 'Us-East-1': must be a region name like us-east-1: 2 to 32 lowercase letters, digits and hyphens" },
        { "GHIDRA_AUTH__API_KEYS", "ci:boss:secret", "auth.api_keys[0].role (GHIDRA_AUTH__API_KEYS) = 'boss': must be one of read, analyze, annotate, admin" },
        { "GHIDRA_AUTH__API_KEYS", "ci:topsecret", "auth.api_keys[0] (GHIDRA_AUTH__API_KEYS) = 'ci:***': must be name:role:key (role one of read, analyze, annotate, admin)" },
        { "GHIDRA_SERVER__PROT", "3101", "GHIDRA_SERVER__PROT: unknown environment variable; known in server: GHIDRA_SERVER__HOST, GHIDRA_SERVER__PORT, GHIDRA_SERVER__MAX_UPLOAD_BYTES, GHIDRA_SERVER__ANALYSIS_CONCURRENCY, GHIDRA_SERVER__ANALYSIS_QUEUE_LIMIT, GHIDRA_SERVER__ANALYSIS_TIMEOUT_SECONDS, GHIDRA_SERVER__REQUEST_TIMEOUT_SECONDS, GHIDRA_SERVER__RATE_LIMIT_PER_MINUTE, GHIDRA_SERVER__TLS__CERT_FILE, GHIDRA_SERVER__TLS__KEY_FILE, GHIDRA_SERVER__ALLOW_INSECURE_HTTP" },
    };

    [Theory]
    [MemberData(nameof(BadEnvironmentValues))]
    public void Load_BadEnvironmentValue_ReportsExactlyOneLine(string variable, string value, string expected)
    {
        using var folder = new ConfigFolder();

        var error = folder.LoadFails(new() { [variable] = value });

        Assert.Equal(expected, Assert.Single(error.Errors));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Load_BadYamlValue_NamesKeyVariableValueAndLine()
    {
        using var folder = new ConfigFolder("server:\n  host: 127.0.0.1\n  port: 70000\n");

        var error = folder.LoadFails();

        Assert.Equal(
            $"server.port (GHIDRA_SERVER__PORT) = '70000': must be an integer from 0 to 65535 (line 3 of {folder.ConfigPath})",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_BadFlagValue_SaysItCameFromAFlag()
    {
        using var folder = new ConfigFolder();

        var error = folder.LoadFails(flags: new() { ["server.port"] = "-1" });

        Assert.Equal("server.port (GHIDRA_SERVER__PORT) = '-1': must be an integer from 0 to 65535 (command-line flag)", Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_SeveralBadValues_ReportsEveryOne()
    {
        using var folder = new ConfigFolder("""
            server:
              port: 70000
              analysis_concurrency: none
            storage:
              provider: mysql
            region:
              current_region: US
            """);

        var error = folder.LoadFails(new() { ["GHIDRA_STORAGE__CACHE_ENTRIES"] = "-3" }, new() { ["region.enabled"] = "perhaps" });

        Assert.Equal(6, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.StartsWith("server.port (GHIDRA_SERVER__PORT) = '70000'", StringComparison.Ordinal) && e.Contains("line 2", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("server.analysis_concurrency (GHIDRA_SERVER__ANALYSIS_CONCURRENCY) = 'none'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("storage.provider (GHIDRA_STORAGE__PROVIDER) = 'mysql'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("region.current_region (GHIDRA_REGION__CURRENT_REGION) = 'US'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("storage.cache_entries (GHIDRA_STORAGE__CACHE_ENTRIES) = '-3'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("region.enabled (GHIDRA_REGION__ENABLED) = 'perhaps'", StringComparison.Ordinal));
        Assert.Equal(string.Join(Environment.NewLine, error.Errors), error.Message);
    }

    [Fact]
    public void Load_ValueWithNewline_IsShownOnOneLine()
    {
        using var folder = new ConfigFolder();

        var error = folder.LoadFails(new() { ["GHIDRA_SERVER__HOST"] = "1.2.3.4\nevil" });

        Assert.DoesNotContain('\n', Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_UnrelatedGhidraVariables_AreIgnored()
    {
        using var folder = new ConfigFolder();

        var options = folder.Load(new() { ["GHIDRA_INSTALL_DIR"] = "/opt/ghidra", ["GHIDRA_OTHER__THING"] = "x", ["GHIDRA_REGION_SOMETHING"] = "y" });

        Assert.Equal(3101, options.Server.Port);
    }
}
