using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests.Reload;

/// <summary><see cref="GhidraConfiguration.Reload"/>: reloadable keys take new values, anything invalid is refused whole.</summary>
public sealed class ReloadTests
{
    private const string TwoRegions = """
        region:
          enabled: true
          current_region: us-east-1
          regions: [us-east-1, eu-west-1]
          endpoints: { us-east-1: "http://127.0.0.1:3101", eu-west-1: "http://127.0.0.1:3102" }
          primary_region: us-east-1
        """;

    private static readonly Dictionary<string, string> Secret = new() { ["GHIDRA_REGION__SECRET"] = RegionConfigTests.Secret };

    [Fact]
    public void Reload_PicksUpANewApiKeyAndANewPrimaryRegion()
    {
        using var folder = new ConfigFolder(TwoRegions);
        using var configuration = folder.LoadConfiguration(Secret);
        folder.Write(TwoRegions.Replace("primary_region: us-east-1", "primary_region: eu-west-1", StringComparison.Ordinal)
            + "\nauth:\n  api_keys:\n    - { name: ops, role: admin, key: new-key-0123 }\n");

        var result = configuration.Reload();

        Assert.True(result.Accepted);
        Assert.Equal(["auth.api_keys", "region.primary_region"], result.AppliedKeys);
        Assert.Equal("eu-west-1", configuration.Current.Region.PrimaryRegion);
        Assert.Equal(ConfigLoader.HashApiKey("new-key-0123"), Assert.Single(configuration.Current.Auth.ApiKeys).KeySha256);
        Assert.Same(configuration.Current, result.Current);
        var again = configuration.Reload();
        Assert.True(again.Accepted);
        Assert.Empty(again.AppliedKeys);
    }

    [Fact]
    public void Reload_OfAnInvalidFile_IsRefusedWithOneLineErrors_AndTheRunningValuesStay()
    {
        using var folder = new ConfigFolder(TwoRegions + "\nserver:\n  rate_limit_per_minute: 60\n");
        var logger = new RecordingLogger();
        using var configuration = folder.LoadConfiguration(Secret, logger);
        var running = configuration.Current;
        folder.Write(TwoRegions.Replace("primary_region: us-east-1", "primary_region: ap-south-1", StringComparison.Ordinal)
            + "\nserver:\n  rate_limit_per_minute: lots\n");

        var result = configuration.Reload();

        string[] expected =
        [
            $"server.rate_limit_per_minute (GHIDRA_SERVER__RATE_LIMIT_PER_MINUTE) = 'lots': must be an integer of at least 0 (line 8 of {folder.ConfigPath})",
            $"region.primary_region (GHIDRA_REGION__PRIMARY_REGION) = 'ap-south-1': must be one of region.regions: us-east-1, eu-west-1 (line 6 of {folder.ConfigPath})",
        ];
        Assert.False(result.Accepted);
        Assert.Equal(expected, result.Errors);
        Assert.Same(running, configuration.Current);
        Assert.Equal(expected.Select(e => $"Configuration problem: {e}"), logger.Messages(2004));
        Assert.Single(logger.Messages(2003));
    }

    [Fact]
    public void Reload_OfAChangedNonReloadableKey_KeepsItsRunningValue_AndSaysSoOnce()
    {
        using var folder = new ConfigFolder("server:\n  port: 4100\n  rate_limit_per_minute: 60\n");
        var logger = new RecordingLogger();
        using var configuration = folder.LoadConfiguration(logger: logger);
        folder.Write("server:\n  port: 4200\n  rate_limit_per_minute: 120\n");

        var first = configuration.Reload();
        folder.Write("server:\n  port: 4200\n  rate_limit_per_minute: 180\n");
        var second = configuration.Reload();

        Assert.Equal((4100, 180), (configuration.Current.Server.Port, configuration.Current.Server.RateLimitPerMinute));
        Assert.Equal(["server.rate_limit_per_minute"], first.AppliedKeys);
        Assert.Equal(["server.port"], first.RestartRequiredKeys);
        Assert.Equal(["server.port"], second.RestartRequiredKeys);
        Assert.Equal(["server.port changed; it takes effect at the next restart"], logger.Messages(2005));
    }

    [Fact]
    public void Reload_OfTheOutboxKeys_WaitsForARestart()
    {
        using var folder = new ConfigFolder("region:\n  outbox_retention: 600\n");
        using var configuration = folder.LoadConfiguration();
        folder.Write("region:\n  outbox_retention: 900\n  outbox_max_entries: 10\n");

        var result = configuration.Reload();

        Assert.Equal(["region.outbox_retention", "region.outbox_max_entries"], result.RestartRequiredKeys);
        Assert.Equal((600, 1_000_000L), (configuration.Current.Region.OutboxRetentionSeconds, configuration.Current.Region.OutboxMaxEntries));
    }

    [Fact]
    public void Reload_KeepsTheEnvironmentAsReadAtStart()
    {
        using var folder = new ConfigFolder("server:\n  rate_limit_per_minute: 60\n");
        var environment = new Dictionary<string, string> { ["GHIDRA_SERVER__RATE_LIMIT_PER_MINUTE"] = "30" };
        using var configuration = folder.LoadConfiguration(environment);
        environment["GHIDRA_SERVER__RATE_LIMIT_PER_MINUTE"] = "90";

        var result = configuration.Reload();

        Assert.Empty(result.AppliedKeys);
        Assert.Equal(30, configuration.Current.Server.RateLimitPerMinute);
    }

    [Fact]
    public void Reload_ThatWouldLeaveAPublicHostWithoutKeys_IsRefused()
    {
        // The new host is loopback, but the host waits for a restart while the key removal would apply now.
        using var folder = new ConfigFolder("server:\n  host: 0.0.0.0\n  allow_insecure_http: true\nauth:\n  api_keys:\n    - { name: ci, role: read, key: k-0123 }\n");
        using var configuration = folder.LoadConfiguration();
        folder.Write("server:\n  host: 127.0.0.1\n  allow_insecure_http: true\n");

        var result = configuration.Reload();

        Assert.Equal(["server.host (GHIDRA_SERVER__HOST) = '0.0.0.0': listening beyond loopback requires API keys (auth.api_keys or GHIDRA_AUTH__API_KEYS)"],
            result.Errors);
        Assert.Single(configuration.Current.Auth.ApiKeys);
    }

    [Fact]
    public void Reload_ThatWouldTakeTheLastKeyFromAPublicGateway_IsRefused()
    {
        using var folder = new ConfigFolder("gateway:\n  host: 0.0.0.0\n  allow_insecure_http: true\nauth:\n  api_keys:\n    - { name: ci, role: read, key: k-0123 }\n");
        using var configuration = folder.LoadConfiguration();
        folder.Write("gateway:\n  host: 0.0.0.0\n  allow_insecure_http: true\n");

        var result = configuration.Reload();

        Assert.Equal(["gateway.host (GHIDRA_GATEWAY__HOST) = '0.0.0.0': listening beyond loopback requires API keys (auth.api_keys or GHIDRA_AUTH__API_KEYS)"],
            result.Errors);
        Assert.Single(configuration.Current.Auth.ApiKeys);
    }

    [Fact]
    public void Reload_OfUnchangedSources_ChangesNothing_AndFiresNoChange()
    {
        using var folder = new ConfigFolder(TwoRegions);
        using var configuration = folder.LoadConfiguration(Secret);
        var running = configuration.Current;
        var token = configuration.GetChangeToken();

        var result = configuration.Reload();

        Assert.True(result.Accepted);
        Assert.Empty(result.AppliedKeys);
        Assert.Same(running, configuration.Current);
        Assert.False(token.HasChanged);
    }

    [Fact]
    public void Reload_ReadsTheSecretFilesAgain_SoASecretIsRotatedWithoutARestart()
    {
        using var folder = new ConfigFolder(TwoRegions + "\n  secret_file: ./current\n");
        File.WriteAllText(System.IO.Path.Combine(folder.Path, "current"), "the-first-secret-of-enough-length\n");
        using var configuration = folder.LoadConfiguration();
        Assert.Equal("the-first-secret-of-enough-length", configuration.Current.Region.Secret);

        // Step 1 of a rotation: the new secret in the same file, the old one kept as previous.
        File.WriteAllText(System.IO.Path.Combine(folder.Path, "previous"), "the-first-secret-of-enough-length\n");
        File.WriteAllText(System.IO.Path.Combine(folder.Path, "current"), "the-second-secret-of-enough-length\n");
        folder.Write(TwoRegions + "\n  secret_file: ./current\n  previous_secret_file: ./previous\n");
        var rotated = configuration.Reload();

        Assert.True(rotated.Accepted, string.Join("; ", rotated.Errors));
        Assert.Contains("region.secret", rotated.AppliedKeys);
        Assert.Equal("the-second-secret-of-enough-length", configuration.Current.Region.Secret);
        Assert.Equal("the-first-secret-of-enough-length", configuration.Current.Region.PreviousSecret);

        // A previous secret too short is refused like a current one, and the running secrets stay.
        File.WriteAllText(System.IO.Path.Combine(folder.Path, "previous"), "short\n");
        var refused = configuration.Reload();
        Assert.False(refused.Accepted);
        Assert.Contains(refused.Errors, e => e.StartsWith("region.previous_secret_file", StringComparison.Ordinal) && e.Contains("at least 16", StringComparison.Ordinal));
        Assert.Equal("the-first-secret-of-enough-length", configuration.Current.Region.PreviousSecret);
    }

    [Fact]
    public void Load_OfAnInvalidConfiguration_ThrowsEveryProblem_LikeConfigLoader()
    {
        using var folder = new ConfigFolder("server:\n  port: 70000\n  prot: 1\n");

        var error = Assert.Throws<ConfigurationException>(() => folder.LoadConfiguration());

        Assert.Equal(folder.LoadFails().Errors, error.Errors);
        Assert.Equal(2, error.Errors.Count);
    }
}
