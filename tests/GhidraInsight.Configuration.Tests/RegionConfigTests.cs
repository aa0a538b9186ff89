using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

/// <summary>The multi-region keys of <c>region:</c> that load: the documented samples, precedence, defaults, the secret.</summary>
public sealed class RegionConfigTests
{
    internal const string Secret = "0123456789abcdef-secret";

    /// <summary>The <c>region:</c> block of DESIGN.md "Configuration", verbatim.</summary>
    internal const string DesignRegionBlock = """
        region:
          enabled: true
          current_region: "us-east-1"
          regions: ["us-east-1", "eu-west-1", "ap-south-1"]
          endpoints: { us-east-1: "http://127.0.0.1:3101", eu-west-1: "http://127.0.0.1:3102", ap-south-1: "http://127.0.0.1:3103" }
          replication_enabled: true
          replication_regions: ["eu-west-1", "ap-south-1"]
          replication_mode: async        # or sync
          primary_region: "us-east-1"
          failover_enabled: true
          cross_region_timeout: 30       # seconds
          health_check_interval: 5       # seconds
          failure_threshold: 2
          secret_file: ./region-secret   # or GHIDRA_REGION__SECRET

        """;

    /// <summary>The config.yaml sample of OPERATOR_GUIDE_MULTI_REGION.md, verbatim: no endpoints, no secret.</summary>
    internal const string OperatorGuideSample = """
        # config.yaml
        region:
          enabled: true
          current_region: "us-east-1"
          regions:
            - "us-east-1"
            - "eu-west-1"
            - "ap-south-1"
          replication_enabled: true
          replication_regions:
            - "eu-west-1"
            - "ap-south-1"
          primary_region: "us-east-1"
          failover_enabled: true
          cross_region_timeout: 30

        """;

    /// <summary>The four variables of the operator guide.</summary>
    internal static Dictionary<string, string> OperatorGuideEnvironment() => new()
    {
        ["GHIDRA_REGION_ENABLED"] = "true",
        ["GHIDRA_REGION_CURRENT"] = "us-east-1",
        ["GHIDRA_REGION_PRIMARY"] = "us-east-1",
        ["GHIDRA_REGION_REPLICATION_ENABLED"] = "true",
    };

    /// <summary>A valid two-region setup from the environment alone; tests change one variable of it.</summary>
    internal static Dictionary<string, string> TwoRegionEnvironment() => new()
    {
        ["GHIDRA_REGION__ENABLED"] = "true",
        ["GHIDRA_REGION__CURRENT_REGION"] = "us-east-1",
        ["GHIDRA_REGION__REGIONS"] = "us-east-1,eu-west-1",
        ["GHIDRA_REGION__ENDPOINTS"] = "us-east-1=http://127.0.0.1:3101,eu-west-1=http://127.0.0.1:3102",
        ["GHIDRA_REGION__SECRET"] = Secret,
    };

    [Fact]
    public void Load_DesignSample_WithItsSecretFile_LoadsEveryValue()
    {
        using var folder = new ConfigFolder("""
            server:
              host: 127.0.0.1
              port: 3101
            storage:
              provider: sqlite               # or postgres
              data_dir: ./data/us-east-1     # sqlite file, raw binaries, raft log
              connection_string: ""          # postgres

            """ + DesignRegionBlock);
        File.WriteAllText(Path.Combine(folder.Path, "region-secret"), "  " + Secret + "\n");

        var region = folder.Load().Region;

        Assert.True(region.Enabled);
        Assert.Equal("us-east-1", region.CurrentRegion);
        Assert.Equal(["us-east-1", "eu-west-1", "ap-south-1"], region.Regions);
        Assert.Equal(new Uri("http://127.0.0.1:3102"), region.Endpoints["eu-west-1"]);
        Assert.Equal(3, region.Endpoints.Count);
        Assert.True(region.ReplicationEnabled);
        Assert.Equal(["eu-west-1", "ap-south-1"], region.ReplicationRegions);
        Assert.Equal(ReplicationMode.Async, region.ReplicationMode);
        Assert.Equal("us-east-1", region.PrimaryRegion);
        Assert.True(region.FailoverEnabled);
        Assert.Equal((30, 5, 2, 2), (region.CrossRegionTimeoutSeconds, region.HealthCheckIntervalSeconds, region.FailureThreshold, region.SuccessThreshold));
        Assert.Equal(Path.Combine(folder.Path, "region-secret"), region.SecretFile);
        Assert.Equal(Secret, region.Secret);
    }

    [Fact]
    public void Load_OperatorGuideSample_WithEndpointsAndSecretFromEnvironment_Loads()
    {
        using var folder = new ConfigFolder(OperatorGuideSample);
        var environment = OperatorGuideEnvironment();
        environment["GHIDRA_REGION__ENDPOINTS"] = "us-east-1=http://127.0.0.1:3101,eu-west-1=http://127.0.0.1:3102,ap-south-1=http://127.0.0.1:3103";
        environment["GHIDRA_REGION__SECRET"] = Secret;

        var region = folder.Load(environment).Region;

        Assert.Equal(("us-east-1", "us-east-1", true), (region.CurrentRegion, region.EffectivePrimary, region.ReplicationEnabled));
        Assert.Equal(["eu-west-1", "ap-south-1"], region.ReplicationRegions);
        Assert.Equal(new Uri("http://127.0.0.1:3103"), region.Endpoints["ap-south-1"]);
    }

    [Fact]
    public void Load_OperatorGuideSample_AsWritten_SaysEndpointsAndSecretAreMissing()
    {
        using var folder = new ConfigFolder(OperatorGuideSample);

        var error = folder.LoadFails(OperatorGuideEnvironment());

        Assert.Equal(
        [
            "region.endpoints (GHIDRA_REGION__ENDPOINTS): missing; with region.enabled true, give the base URL of each region's HTTP port "
                + "(us-east-1, eu-west-1, ap-south-1), e.g. us-east-1: http://127.0.0.1:3101 (in the environment: us-east-1=http://127.0.0.1:3101,…)",
            "region.secret (GHIDRA_REGION__SECRET): missing; with region.replication_enabled true and 3 regions, the regions need a shared "
                + "secret of at least 16 characters: set GHIDRA_REGION__SECRET or name a file holding it in region.secret_file (GHIDRA_REGION__SECRET_FILE)",
        ], error.Errors);
    }

    [Fact]
    public void Load_FromEnvironment_ParsesCommaSeparatedListsAndEndpoints()
    {
        using var folder = new ConfigFolder();
        var environment = TwoRegionEnvironment();
        environment["GHIDRA_REGION__REGIONS"] = " us-east-1 , eu-west-1 ,ap-south-1";
        environment["GHIDRA_REGION__ENDPOINTS"] = "us-east-1=http://127.0.0.1:3101, eu-west-1 = https://eu.example.com:8443/base ,ap-south-1=http://[::1]:3103";
        environment["GHIDRA_REGION__REPLICATION_REGIONS"] = "ap-south-1";
        environment["GHIDRA_REGION__REPLICATION_MODE"] = "sync";
        environment["GHIDRA_REGION_REPLICATION_ENABLED"] = "true";
        environment["GHIDRA_REGION__FAILOVER_ENABLED"] = "true";
        environment["GHIDRA_REGION__CROSS_REGION_TIMEOUT"] = "3600";
        environment["GHIDRA_REGION__HEALTH_CHECK_INTERVAL"] = "1";
        environment["GHIDRA_REGION__FAILURE_THRESHOLD"] = "3";
        environment["GHIDRA_REGION__SUCCESS_THRESHOLD"] = "4";

        var region = folder.Load(environment).Region;

        Assert.Equal(["us-east-1", "eu-west-1", "ap-south-1"], region.Regions);
        Assert.Equal(new Uri("https://eu.example.com:8443/base"), region.Endpoints["eu-west-1"]);
        Assert.Equal(new Uri("http://[::1]:3103"), region.Endpoints["ap-south-1"]);
        Assert.Equal(["ap-south-1"], region.ReplicationRegions);
        Assert.Equal(ReplicationMode.Sync, region.ReplicationMode);
        Assert.True(region.FailoverEnabled);
        Assert.Equal((3600, 1, 3, 4), (region.CrossRegionTimeoutSeconds, region.HealthCheckIntervalSeconds, region.FailureThreshold, region.SuccessThreshold));
        Assert.Equal("us-east-1", region.EffectivePrimary);
    }

    [Fact]
    public void Load_Environment_OverridesYaml_AndFlags_OverrideEnvironment()
    {
        using var folder = new ConfigFolder("""
            region:
              enabled: true
              current_region: us-east-1
              regions: [us-east-1]
              endpoints:
                us-east-1: http://127.0.0.1:3101
              cross_region_timeout: 10
              replication_enabled: true
              replication_mode: sync
            """);
        var environment = new Dictionary<string, string>
        {
            ["GHIDRA_REGION__REGIONS"] = "us-east-1,eu-west-1",
            ["GHIDRA_REGION__ENDPOINTS"] = "us-east-1=http://10.0.0.1:3101,eu-west-1=http://10.0.0.2:3101",
            ["GHIDRA_REGION__CROSS_REGION_TIMEOUT"] = "20",
            ["GHIDRA_REGION__SECRET"] = Secret,
        };

        var fromEnvironment = folder.Load(environment).Region;
        var fromFlags = folder.Load(environment, new()
        {
            ["region.regions"] = "us-east-1,ap-south-1",
            ["region.endpoints"] = "us-east-1=http://10.0.0.1:3101,ap-south-1=http://10.0.0.3:3101",
            ["region.cross_region_timeout"] = "40",
            ["region.replication_mode"] = "async",
        }).Region;

        Assert.Equal(["us-east-1", "eu-west-1"], fromEnvironment.Regions);
        Assert.Equal(new Uri("http://10.0.0.2:3101"), fromEnvironment.Endpoints["eu-west-1"]);
        Assert.Equal(20, fromEnvironment.CrossRegionTimeoutSeconds);
        Assert.Equal(ReplicationMode.Sync, fromEnvironment.ReplicationMode);
        Assert.Equal(["us-east-1", "ap-south-1"], fromFlags.Regions);
        Assert.Equal(["us-east-1", "ap-south-1"], fromFlags.Endpoints.Keys.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(40, fromFlags.CrossRegionTimeoutSeconds);
        Assert.Equal(ReplicationMode.Async, fromFlags.ReplicationMode);
    }

    [Fact]
    public void Load_ReplicationWithoutReplicationRegions_ReplicatesToAllOthers()
    {
        using var folder = new ConfigFolder();
        var environment = TwoRegionEnvironment();
        environment["GHIDRA_REGION__REGIONS"] = "us-east-1,eu-west-1,ap-south-1";
        environment["GHIDRA_REGION__CURRENT_REGION"] = "eu-west-1";
        environment["GHIDRA_REGION__ENDPOINTS"] += ",ap-south-1=http://127.0.0.1:3103";
        environment["GHIDRA_REGION__REPLICATION_ENABLED"] = "true";

        var replicating = folder.Load(environment).Region;
        environment.Remove("GHIDRA_REGION__REPLICATION_ENABLED");
        var notReplicating = folder.Load(environment).Region;

        Assert.Equal(["us-east-1", "ap-south-1"], replicating.ReplicationRegions);
        Assert.Empty(notReplicating.ReplicationRegions);
    }

    [Fact]
    public void Load_SingleRegionWithoutReplication_NeedsNoSecret()
    {
        using var folder = new ConfigFolder("region:\n  enabled: true\n  current_region: us-east-1\n  regions: [us-east-1]\n  endpoints: { us-east-1: \"http://127.0.0.1:3101\" }\n");

        var region = folder.Load().Region;

        Assert.Null(region.Secret);
        Assert.Equal(["us-east-1"], region.Regions);
    }

    [Fact]
    public void Load_Disabled_IgnoresMissingEndpointsSecretAndRegions()
    {
        using var folder = new ConfigFolder("""
            region:
              enabled: false
              current_region: us-east-1
              regions: [us-east-1, eu-west-1, eu-west-1]
              replication_enabled: true
              replication_regions: [us-east-1, ap-south-1]
            """);

        var region = folder.Load().Region;

        Assert.False(region.Enabled);
        Assert.Empty(region.Endpoints);
        Assert.Null(region.Secret);
        Assert.Equal(["us-east-1", "ap-south-1"], region.ReplicationRegions);
    }

    [Fact]
    public void Load_Disabled_StillChecksTypes()
    {
        using var folder = new ConfigFolder("region:\n  enabled: false\n  cross_region_timeout: soon\n");

        var error = folder.LoadFails();

        Assert.Equal(
            $"region.cross_region_timeout (GHIDRA_REGION__CROSS_REGION_TIMEOUT) = 'soon': must be an integer from 1 to 3600 (line 3 of {folder.ConfigPath})",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_Defaults_AreAPlainSingleRegion()
    {
        using var folder = new ConfigFolder();

        var region = folder.Load().Region;

        Assert.Equal(new RegionOptions(), region);
        Assert.False(region.Enabled);
        Assert.Equal("local", region.CurrentRegion);
        Assert.Equal("local", region.EffectivePrimary);
        Assert.Equal((30, 5, 2, 2), (region.CrossRegionTimeoutSeconds, region.HealthCheckIntervalSeconds, region.FailureThreshold, region.SuccessThreshold));
        Assert.Equal(ReplicationMode.Async, region.ReplicationMode);
        Assert.Null(region.Secret);
    }

    [Fact]
    public void Load_SecretFile_IsReadTrimmed_RelativeToTheConfigFile()
    {
        using var folder = new ConfigFolder("region:\n  secret_file: secrets/region\n");
        Directory.CreateDirectory(Path.Combine(folder.Path, "secrets"));
        File.WriteAllText(Path.Combine(folder.Path, "secrets", "region"), "\n\t" + Secret + "  \r\n");

        var region = folder.Load().Region;

        Assert.Equal(Secret, region.Secret);
        Assert.Equal(Path.Combine(folder.Path, "secrets", "region"), region.SecretFile);
    }

    [Fact]
    public void Load_SecretFileFromEnvironment_IsTakenFromTheCurrentFolder()
    {
        using var folder = new ConfigFolder("region:\n  secret_file: ./ignored\n");
        var name = $"region-secret-{Guid.NewGuid():N}";
        var path = Path.Combine(Directory.GetCurrentDirectory(), name);
        File.WriteAllText(path, Secret);
        try
        {
            var region = folder.Load(new() { ["GHIDRA_REGION__SECRET_FILE"] = name }).Region;

            Assert.Equal(path, region.SecretFile);
            Assert.Equal(Secret, region.Secret);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_SecretFromEnvironment_WinsOverSecretFile()
    {
        using var folder = new ConfigFolder("region:\n  secret_file: ./region-secret\n");
        File.WriteAllText(Path.Combine(folder.Path, "region-secret"), "from-the-file-0123456789");

        var region = folder.Load(new() { ["GHIDRA_REGION__SECRET"] = " from-the-environment-0123 " }).Region;

        Assert.Equal("from-the-environment-0123", region.Secret);
    }

    [Fact]
    public void Load_SecretFromEnvironment_MakesAMissingSecretFileHarmless()
    {
        using var folder = new ConfigFolder("region:\n  secret_file: ./not-there\n");

        Assert.Equal(Secret, folder.Load(new() { ["GHIDRA_REGION__SECRET"] = Secret }).Region.Secret);
    }

    [Fact]
    public void ToString_NeverShowsTheSecret()
    {
        using var folder = new ConfigFolder();

        var options = folder.Load(TwoRegionEnvironment());

        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("Secret = ***", options.ToString(), StringComparison.Ordinal);
    }
}
