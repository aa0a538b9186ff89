using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

/// <summary>Each bad region value gives exactly its one line; several at once give all of them.</summary>
public sealed class RegionBadValueTests
{
    private const string RegionName = "must be a region name like us-east-1: 2 to 32 lowercase letters, digits and hyphens";

    /// <summary>A variable changed in an otherwise valid two-region environment, and the one line expected.</summary>
    public static TheoryData<string, string, string> BadEnvironmentValues => new()
    {
        { "GHIDRA_REGION__REGIONS", "us-east-1,EU_WEST", $"region.regions[1] (GHIDRA_REGION__REGIONS) = 'EU_WEST': {RegionName}" },
        { "GHIDRA_REGION__REGIONS", "us-east-1,x", $"region.regions[1] (GHIDRA_REGION__REGIONS) = 'x': {RegionName}" },
        { "GHIDRA_REGION__REGIONS", "us-east-1,eu-west-1,us-east-1", "region.regions[2] (GHIDRA_REGION__REGIONS) = 'us-east-1': duplicate; us-east-1 is region.regions[0] already" },
        { "GHIDRA_REGION__CURRENT_REGION", "ap-south-1", "region.current_region (GHIDRA_REGION__CURRENT_REGION) = 'ap-south-1': must be one of region.regions: us-east-1, eu-west-1" },
        { "GHIDRA_REGION_PRIMARY", "ap-south-1", "region.primary_region (GHIDRA_REGION_PRIMARY) = 'ap-south-1': must be one of region.regions: us-east-1, eu-west-1" },
        { "GHIDRA_REGION__ENDPOINTS", "us-east-1=http://127.0.0.1:3101", "region.endpoints.eu-west-1 (GHIDRA_REGION__ENDPOINTS): missing; every region in region.regions needs the base URL of its HTTP port, e.g. eu-west-1: http://127.0.0.1:3101" },
        { "GHIDRA_REGION__ENDPOINTS", "us-east-1=http://a:1,eu-west-1=http://b:2,ap-south-1=http://c:3", "region.endpoints.ap-south-1 (GHIDRA_REGION__ENDPOINTS) = 'http://c:3': ap-south-1 is not in region.regions (us-east-1, eu-west-1); remove this endpoint or add the region" },
        { "GHIDRA_REGION__ENDPOINTS", "us-east-1=ftp://127.0.0.1:3101,eu-west-1=http://b:2", "region.endpoints.us-east-1 (GHIDRA_REGION__ENDPOINTS) = 'ftp://127.0.0.1:3101': must be an absolute http or https URL, e.g. http://127.0.0.1:3101" },
        { "GHIDRA_REGION__ENDPOINTS", "us-east-1=/relative,eu-west-1=http://b:2", "region.endpoints.us-east-1 (GHIDRA_REGION__ENDPOINTS) = '/relative': must be an absolute http or https URL, e.g. http://127.0.0.1:3101" },
        { "GHIDRA_REGION__ENDPOINTS", "us-east-1=,eu-west-1=http://b:2", "region.endpoints.us-east-1 (GHIDRA_REGION__ENDPOINTS) = '': must be an absolute http or https URL, e.g. http://127.0.0.1:3101" },
        { "GHIDRA_REGION__ENDPOINTS", "us-east-1:http://a:1,eu-west-1=http://b:2", "region.endpoints (GHIDRA_REGION__ENDPOINTS) = 'us-east-1:http://a:1': must be region=URL entries separated by commas, e.g. us-east-1=http://127.0.0.1:3101,eu-west-1=http://127.0.0.1:3102" },
        { "GHIDRA_REGION__ENDPOINTS", "us-east-1=http://a:1,eu-west-1=http://b:2,us-east-1=http://c:3", "region.endpoints.us-east-1 (GHIDRA_REGION__ENDPOINTS) = 'http://c:3': duplicate; us-east-1 has an endpoint already" },
        { "GHIDRA_REGION__ENDPOINTS", "US=http://a:1,us-east-1=http://a:1,eu-west-1=http://b:2", $"region.endpoints (GHIDRA_REGION__ENDPOINTS) = 'US': each endpoint's region {RegionName}" },
        { "GHIDRA_REGION__REPLICATION_REGIONS", "us-east-1", "region.replication_regions[0] (GHIDRA_REGION__REPLICATION_REGIONS) = 'us-east-1': is the current region (a region does not replicate to itself); allowed: one of the other regions: eu-west-1" },
        { "GHIDRA_REGION__REPLICATION_REGIONS", "eu-west-1,ap-south-1", "region.replication_regions[1] (GHIDRA_REGION__REPLICATION_REGIONS) = 'ap-south-1': is not in region.regions; allowed: one of the other regions: eu-west-1" },
        { "GHIDRA_REGION__REPLICATION_REGIONS", "eu-west-1,eu-west-1", "region.replication_regions[1] (GHIDRA_REGION__REPLICATION_REGIONS) = 'eu-west-1': duplicate; eu-west-1 is region.replication_regions[0] already" },
        { "GHIDRA_REGION__REPLICATION_REGIONS", "Eu-West-1", $"region.replication_regions[0] (GHIDRA_REGION__REPLICATION_REGIONS) = 'Eu-West-1': {RegionName}" },
        { "GHIDRA_REGION__REPLICATION_MODE", "eventual", "region.replication_mode (GHIDRA_REGION__REPLICATION_MODE) = 'eventual': must be async or sync" },
        { "GHIDRA_REGION__REPLICATION_MODE", "SYNC", "region.replication_mode (GHIDRA_REGION__REPLICATION_MODE) = 'SYNC': must be async or sync" },
        { "GHIDRA_REGION__FAILOVER_ENABLED", "sometimes", "region.failover_enabled (GHIDRA_REGION__FAILOVER_ENABLED) = 'sometimes': must be true or false" },
        { "GHIDRA_REGION__CROSS_REGION_TIMEOUT", "0", "region.cross_region_timeout (GHIDRA_REGION__CROSS_REGION_TIMEOUT) = '0': must be an integer from 1 to 3600" },
        { "GHIDRA_REGION__CROSS_REGION_TIMEOUT", "3601", "region.cross_region_timeout (GHIDRA_REGION__CROSS_REGION_TIMEOUT) = '3601': must be an integer from 1 to 3600" },
        { "GHIDRA_REGION__HEALTH_CHECK_INTERVAL", "-5", "region.health_check_interval (GHIDRA_REGION__HEALTH_CHECK_INTERVAL) = '-5': must be an integer from 1 to 3600" },
        { "GHIDRA_REGION__HEALTH_CHECK_INTERVAL", "5s", "region.health_check_interval (GHIDRA_REGION__HEALTH_CHECK_INTERVAL) = '5s': must be an integer from 1 to 3600" },
        { "GHIDRA_REGION__FAILURE_THRESHOLD", "0", "region.failure_threshold (GHIDRA_REGION__FAILURE_THRESHOLD) = '0': must be an integer of at least 1" },
        { "GHIDRA_REGION__SUCCESS_THRESHOLD", "two", "region.success_threshold (GHIDRA_REGION__SUCCESS_THRESHOLD) = 'two': must be an integer of at least 1" },
        { "GHIDRA_REGION__SECRET", "too-short", "region.secret (GHIDRA_REGION__SECRET) = '***': must be at least 16 characters (has 9)" },
        { "GHIDRA_REGION__SECRET_FILE", "   ", "region.secret_file (GHIDRA_REGION__SECRET_FILE) = '   ': must be the path of a file holding the inter-region secret" },
    };

    [Theory]
    [MemberData(nameof(BadEnvironmentValues))]
    public void Load_BadRegionEnvironmentValue_ReportsExactlyOneLine(string variable, string value, string expected)
    {
        using var folder = new ConfigFolder();
        var environment = RegionConfigTests.TwoRegionEnvironment();
        environment[variable] = value;

        var error = folder.LoadFails(environment);

        Assert.Equal(expected, Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_EnabledWithoutRegions_SaysRegionsAreMissing()
    {
        using var folder = new ConfigFolder();

        var error = folder.LoadFails(new() { ["GHIDRA_REGION_ENABLED"] = "true" });

        Assert.Equal(
            "region.regions (GHIDRA_REGION__REGIONS): missing; with region.enabled true, list every region of the deployment, "
                + "e.g. [\"us-east-1\", \"eu-west-1\"] (in the environment: us-east-1,eu-west-1)",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_EnabledWithEmptyRegionList_SaysItMustListOne()
    {
        using var folder = new ConfigFolder("region:\n  enabled: true\n  regions: []\n");

        var error = folder.LoadFails();

        Assert.Equal($"region.regions (GHIDRA_REGION__REGIONS) = '': must list at least one region when region.enabled is true (line 3 of {folder.ConfigPath})",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_EnabledWithDefaultCurrentRegion_SaysToSetIt()
    {
        using var folder = new ConfigFolder();
        var environment = RegionConfigTests.TwoRegionEnvironment();
        environment.Remove("GHIDRA_REGION__CURRENT_REGION");

        var error = folder.LoadFails(environment);

        Assert.Equal(
            "region.current_region (GHIDRA_REGION__CURRENT_REGION): missing; with region.enabled true, set this process's region, one of region.regions: us-east-1, eu-west-1",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_TwoRegionsWithoutSecret_SaysTheSecretIsMissing()
    {
        using var folder = new ConfigFolder();
        var environment = RegionConfigTests.TwoRegionEnvironment();
        environment.Remove("GHIDRA_REGION__SECRET");

        var error = folder.LoadFails(environment);

        Assert.Equal(
            "region.secret (GHIDRA_REGION__SECRET): missing; with 2 regions, the regions need a shared secret of at least 16 characters: "
                + "set GHIDRA_REGION__SECRET or name a file holding it in region.secret_file (GHIDRA_REGION__SECRET_FILE)",
            Assert.Single(error.Errors));
    }

    [Theory]
    [InlineData("missing", null)]
    [InlineData("empty", "  \n")]
    [InlineData("short", "tiny-secret\n")]
    [InlineData("folder", null)]
    public void Load_BadSecretFile_NamesKeyPathAndLine(string kind, string? content)
    {
        using var folder = new ConfigFolder("""
            region:
              enabled: true
              current_region: us-east-1
              regions: [us-east-1, eu-west-1]
              endpoints: { us-east-1: "http://127.0.0.1:3101", eu-west-1: "http://127.0.0.1:3102" }
              secret_file: ./region-secret
            """);
        var path = Path.Combine(folder.Path, "region-secret");
        if (kind == "folder")
        {
            Directory.CreateDirectory(path);
        }
        else if (content is not null)
        {
            File.WriteAllText(path, content);
        }

        var error = folder.LoadFails();

        var problem = kind switch
        {
            "missing" => $"{path} not found; it must be a readable file holding the inter-region secret (at least 16 characters)",
            "empty" => $"{path} is empty; it must be a readable file holding the inter-region secret (at least 16 characters)",
            "short" => $"the secret in {path} has 11 characters; it must have at least 16 characters",
            _ => $"{path} is a folder, not a file; it must be a readable file holding the inter-region secret (at least 16 characters)",
        };
        Assert.Equal($"region.secret_file (GHIDRA_REGION__SECRET_FILE) = './region-secret': {problem} (line 6 of {folder.ConfigPath})",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_MissingSecretFile_IsReportedEvenWhenDisabled()
    {
        using var folder = new ConfigFolder("region:\n  secret_file: ./nowhere\n");

        var error = folder.LoadFails();

        Assert.StartsWith("region.secret_file (GHIDRA_REGION__SECRET_FILE) = './nowhere': ", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecretInYaml_IsRefusedWithoutEchoingIt()
    {
        using var folder = new ConfigFolder("region:\n  enabled: false\n  secret: hunter2-hunter2-hunter2\n");

        var error = folder.LoadFails();

        Assert.Equal(
            $"region.secret (GHIDRA_REGION__SECRET) (line 3 of {folder.ConfigPath}): not accepted in a config file, so the secret stays out of files "
                + "that get committed; put it in a file named by region.secret_file or set GHIDRA_REGION__SECRET",
            Assert.Single(error.Errors));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecretAsFlag_IsRefusedWithoutEchoingIt()
    {
        using var folder = new ConfigFolder();

        var error = folder.LoadFails(flags: new() { ["region.secret"] = "hunter2-hunter2-hunter2" });

        Assert.Equal(
            "region.secret (GHIDRA_REGION__SECRET) (command-line flag): not accepted as a flag, where it would show in process listings; "
                + "set GHIDRA_REGION__SECRET or name a file holding it in region.secret_file",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_BadYamlRegionValues_PointAtTheirLines()
    {
        using var folder = new ConfigFolder("""
            region:
              enabled: true
              current_region: us-east-1
              regions:
                - us-east-1
                - EU
              endpoints:
                us-east-1: "http://127.0.0.1:3101"
                EU: "mailto:ops@example.com"
              failure_threshold: 0
            """);
        File.WriteAllText(Path.Combine(folder.Path, "s"), RegionConfigTests.Secret);

        var error = folder.LoadFails(new() { ["GHIDRA_REGION__SECRET"] = RegionConfigTests.Secret });

        var file = folder.ConfigPath;
        Assert.Equal(
        [
            $"region.regions[1] (GHIDRA_REGION__REGIONS) = 'EU': {RegionName} (line 6 of {file})",
            $"region.endpoints (GHIDRA_REGION__ENDPOINTS) = 'EU': each endpoint's region {RegionName} (line 9 of {file})",
            $"region.failure_threshold (GHIDRA_REGION__FAILURE_THRESHOLD) = '0': must be an integer of at least 1 (line 10 of {file})",
        ], error.Errors);
    }

    [Fact]
    public void Load_ListAndMappingInTheWrongShape_SayWhatShapeIsWanted()
    {
        using var folder = new ConfigFolder("""
            region:
              regions: { us-east-1: yes }
              endpoints: [ "http://127.0.0.1:3101" ]
              replication_regions: [ [eu-west-1] ]
            """);

        var error = folder.LoadFails();

        var file = folder.ConfigPath;
        Assert.Equal(
        [
            $"region.regions (GHIDRA_REGION__REGIONS) (line 2 of {file}): must be a list of region names, e.g. [\"us-east-1\", \"eu-west-1\"]",
            $"region.endpoints (GHIDRA_REGION__ENDPOINTS) (line 3 of {file}): must be a mapping of region name to URL, e.g. us-east-1: http://127.0.0.1:3101",
            $"region.replication_regions[0] (GHIDRA_REGION__REPLICATION_REGIONS) (line 4 of {file}): must be a single value, not a list",
        ], error.Errors);
    }

    [Fact]
    public void Load_SeveralRegionProblems_AreAllReportedAtOnce()
    {
        using var folder = new ConfigFolder("""
            region:
              enabled: true
              current_region: us-east-1
              regions: [eu-west-1, ap-south-1]
              endpoints: { us-east-1: "http://127.0.0.1:3101", eu-west-1: "http://127.0.0.1:3102" }
              replication_enabled: true
              replication_mode: later
              health_check_interval: 7200
            """);

        var error = folder.LoadFails(new() { ["GHIDRA_REGION__SECRET"] = "short" });

        var file = folder.ConfigPath;
        Assert.Equal(
        [
            $"region.replication_mode (GHIDRA_REGION__REPLICATION_MODE) = 'later': must be async or sync (line 7 of {file})",
            $"region.health_check_interval (GHIDRA_REGION__HEALTH_CHECK_INTERVAL) = '7200': must be an integer from 1 to 3600 (line 8 of {file})",
            $"region.current_region (GHIDRA_REGION__CURRENT_REGION) = 'us-east-1': must be one of region.regions: eu-west-1, ap-south-1 (line 3 of {file})",
            $"region.endpoints.ap-south-1 (GHIDRA_REGION__ENDPOINTS): missing; every region in region.regions needs the base URL of its HTTP port, e.g. ap-south-1: http://127.0.0.1:3101 (line 5 of {file})",
            $"region.endpoints.us-east-1 (GHIDRA_REGION__ENDPOINTS) = 'http://127.0.0.1:3101': us-east-1 is not in region.regions (eu-west-1, ap-south-1); remove this endpoint or add the region (line 5 of {file})",
            "region.secret (GHIDRA_REGION__SECRET) = '***': must be at least 16 characters (has 5)",
        ], error.Errors);
        Assert.DoesNotContain("short'", error.Message, StringComparison.Ordinal);
    }
}
