using GhidraInsight.Configuration.Tests.Support;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration.Tests.Validation;

/// <summary>Each section's validator on its own, on values set in code (as a host or a test builds them) and on loaded ones.</summary>
public sealed class SectionValidatorTests
{
    [Fact]
    public void ServerValidator_HoldsValuesSetInCodeToTheKeysRules()
    {
        var result = new ServerOptionsValidator().Validate(Options.DefaultName, new ServerOptions { Port = 70_000, Host = "example.com" });

        Assert.Equal(
        [
            "server.host (GHIDRA_SERVER__HOST) = 'example.com': must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1) or localhost",
            "server.port (GHIDRA_SERVER__PORT) = '70000': must be an integer from 0 to 65535",
        ], result.Failures);
        Assert.True(new ServerOptionsValidator().Validate(null, new ServerOptions()).Succeeded);
    }

    [Fact]
    public void StorageValidator_RefusesPostgresWithoutAConnectionStringAndABlankDataDir()
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = "postgres", DataDir = " " });

        Assert.Equal(
        [
            "storage.data_dir (GHIDRA_STORAGE__DATA_DIR) = ' ': must be a folder path",
            "storage.connection_string (GHIDRA_STORAGE__CONNECTION_STRING) is required with storage.provider postgres: the hosts of every region's database, "
                + "e.g. Host=db-us:5432,db-eu:5432;Database=ghidrainsight;Username=ghidra",
        ], result.Failures);
    }

    [Fact]
    public void AuthValidator_RefusesARepeatedNameAndAHashThatIsNotOne_WithoutEchoingAnyKey()
    {
        var hash = ConfigLoader.HashApiKey("k1");
        var repeated = new AuthOptions
        {
            ApiKeys = [Key("ci", hash), Key("ci", ConfigLoader.HashApiKey("k2"))],
        };
        var notAHash = new AuthOptions { ApiKeys = [Key("ops", "k1")] };

        var line = Assert.Single(new AuthOptionsValidator().Validate(null, repeated).Failures!);
        var badHash = Assert.Single(new AuthOptionsValidator().Validate(null, notAHash).Failures!);

        Assert.Equal("auth.api_keys (GHIDRA_AUTH__API_KEYS) = 'ci:read,ci:read': duplicate name ci; each key needs its own", line);
        Assert.StartsWith("auth.api_keys (GHIDRA_AUTH__API_KEYS) = 'ops:read': ops: key_sha256 must be 64 lowercase hex", badHash, StringComparison.Ordinal);
        Assert.DoesNotContain(hash, line, StringComparison.Ordinal);
    }

    [Fact]
    public void RegionValidator_OnAnEnabledSectionSetInCode_ChecksTheKeysAgainstEachOther()
    {
        var region = new RegionOptions
        {
            Enabled = true,
            CurrentRegion = "ap-south-1",
            Regions = ["us-east-1", "eu-west-1"],
            PrimaryRegion = "sa-east-1",
            Endpoints = new Dictionary<string, Uri> { ["us-east-1"] = new("http://127.0.0.1:3101") },
            ReplicationEnabled = true,
            Secret = RegionConfigTests.Secret,
        };

        var result = new RegionOptionsValidator().Validate(null, region);

        Assert.Equal(
        [
            "region.current_region (GHIDRA_REGION__CURRENT_REGION) = 'ap-south-1': must be one of region.regions: us-east-1, eu-west-1",
            "region.primary_region (GHIDRA_REGION__PRIMARY_REGION) = 'sa-east-1': must be one of region.regions: us-east-1, eu-west-1",
            "region.endpoints.eu-west-1 (GHIDRA_REGION__ENDPOINTS): missing; every region in region.regions needs the base URL of its HTTP port, e.g. eu-west-1: http://127.0.0.1:3101",
        ], result.Failures);
    }

    [Fact]
    public void RegionValidator_WhenDisabled_LetsTheKeysDisagree()
    {
        var region = new RegionOptions { CurrentRegion = "ap-south-1", Regions = ["us-east-1", "us-east-1"], ReplicationMode = ReplicationMode.Sync };

        Assert.True(new RegionOptionsValidator().Validate(null, region).Succeeded);
    }

    [Fact]
    public void RegionValidator_RefusesAShortSecretSetInCode_WithoutShowingIt()
    {
        var region = new RegionOptions
        {
            Enabled = true, CurrentRegion = "us-east-1", Regions = ["us-east-1"],
            Endpoints = new Dictionary<string, Uri> { ["us-east-1"] = new("http://127.0.0.1:3101") }, Secret = "short-one",
        };

        var line = Assert.Single(new RegionOptionsValidator().Validate(null, region).Failures!);

        Assert.Equal("region.secret (GHIDRA_REGION__SECRET) = '***': must be at least 16 characters (has 9)", line);
    }

    [Fact]
    public void GhidraValidator_RefusesAHostBeyondLoopbackWithoutKeys_AndAcceptsItWithOne()
    {
        var open = new GhidraOptions { Server = new ServerOptions { Host = "0.0.0.0", AllowInsecureHttp = true } };
        var keyed = open with { Auth = new AuthOptions { ApiKeys = [Key("ci", ConfigLoader.HashApiKey("k"))] } };

        var line = Assert.Single(new GhidraOptionsValidator().Validate(null, open).Failures!);

        Assert.Equal("server.host (GHIDRA_SERVER__HOST) = '0.0.0.0': listening beyond loopback requires API keys (auth.api_keys or GHIDRA_AUTH__API_KEYS)", line);
        Assert.True(new GhidraOptionsValidator().Validate(null, keyed).Succeeded);
    }

    [Fact]
    public void EveryValidator_AcceptsALoadedConfiguration()
    {
        using var folder = new ConfigFolder(RegionConfigTests.DesignRegionBlock);
        File.WriteAllText(Path.Combine(folder.Path, "region-secret"), RegionConfigTests.Secret);
        using var configuration = folder.LoadConfiguration(new() { ["GHIDRA_SERVER__HOST"] = "0.0.0.0", ["GHIDRA_SERVER__ALLOW_INSECURE_HTTP"] = "true", ["GHIDRA_AUTH__API_KEYS"] = "ci:read:k" });
        var origins = (ISettingOrigins)configuration;
        var options = configuration.Current;

        Assert.True(new ServerOptionsValidator(origins).Validate(null, options.Server).Succeeded);
        Assert.True(new StorageOptionsValidator(origins).Validate(null, options.Storage).Succeeded);
        Assert.True(new AuthOptionsValidator(origins).Validate(null, options.Auth).Succeeded);
        Assert.True(new RegionOptionsValidator(origins).Validate(null, options.Region).Succeeded);
        Assert.True(new GhidraOptionsValidator(origins).Validate(null, options).Succeeded);
    }

    private static ApiKeyOptions Key(string name, string hash) => new() { Name = name, Role = ApiRole.Read, KeySha256 = hash };
}
