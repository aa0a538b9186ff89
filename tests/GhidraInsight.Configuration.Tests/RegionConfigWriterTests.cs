using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

/// <summary><c>ConfigWriter</c> with the region keys: every key written and read back, the secret never.</summary>
public sealed class RegionConfigWriterTests
{
    [Fact]
    public void ToYaml_WithRegionKeysAndSecretFile_ReadsBackEqual_WithoutTheSecret()
    {
        using var folder = new ConfigFolder("""
            region:
              enabled: true
              current_region: eu-west-1
              regions: [us-east-1, eu-west-1, ap-south-1]
              endpoints:
                us-east-1: http://127.0.0.1:3101
                eu-west-1: https://eu.example.com:8443/ghidra
                ap-south-1: http://[::1]:3103
              primary_region: us-east-1
              replication_enabled: true
              replication_mode: sync
              failover_enabled: true
              cross_region_timeout: 12
              health_check_interval: 3
              failure_threshold: 4
              success_threshold: 5
              secret_file: region-secret
            """);
        File.WriteAllText(Path.Combine(folder.Path, "region-secret"), RegionConfigTests.Secret + "\n");
        var original = folder.Load();

        var yaml = ConfigWriter.ToYaml(original);
        File.WriteAllText(folder.ConfigPath, yaml);
        var readBack = folder.Load();

        Assert.Equal(original, readBack);
        Assert.Equal(["us-east-1", "ap-south-1"], readBack.Region.ReplicationRegions);
        Assert.Equal(RegionConfigTests.Secret, readBack.Region.Secret);
        Assert.DoesNotContain(RegionConfigTests.Secret, yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("secret:", yaml, StringComparison.Ordinal);
        foreach (var key in new[] { "regions: [\"us-east-1\", \"eu-west-1\", \"ap-south-1\"]", "eu-west-1: \"https://eu.example.com:8443/ghidra\"", "replication_mode: sync", "failover_enabled: true",
            "cross_region_timeout: 12", "health_check_interval: 3", "failure_threshold: 4", "success_threshold: 5", "secret_file:" })
        {
            Assert.Contains(key, yaml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToYaml_ExplicitReplicationRegions_AreWritten_DefaultOnesLeftOut()
    {
        using var folder = new ConfigFolder();
        var environment = RegionConfigTests.TwoRegionEnvironment();
        environment["GHIDRA_REGION__REGIONS"] = "us-east-1,eu-west-1,ap-south-1";
        environment["GHIDRA_REGION__ENDPOINTS"] += ",ap-south-1=http://127.0.0.1:3103";
        environment["GHIDRA_REGION__REPLICATION_ENABLED"] = "true";
        var allOthers = folder.Load(environment);
        environment["GHIDRA_REGION__REPLICATION_REGIONS"] = "ap-south-1";
        var one = folder.Load(environment);

        Assert.DoesNotContain("replication_regions", ConfigWriter.ToYaml(allOthers), StringComparison.Ordinal);
        Assert.Contains("replication_regions: [\"ap-south-1\"]", ConfigWriter.ToYaml(one), StringComparison.Ordinal);
        File.WriteAllText(folder.ConfigPath, ConfigWriter.ToYaml(one));
        Assert.Equal(one, folder.Load(new() { ["GHIDRA_REGION__SECRET"] = RegionConfigTests.Secret }));
    }

    [Fact]
    public void ToYaml_SecretFromEnvironment_IsNeverWritten()
    {
        using var folder = new ConfigFolder();
        var options = folder.Load(RegionConfigTests.TwoRegionEnvironment());

        var yaml = ConfigWriter.ToYaml(options);

        Assert.Equal(RegionConfigTests.Secret, options.Region.Secret);
        Assert.DoesNotContain(RegionConfigTests.Secret, yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", yaml, StringComparison.Ordinal);

        // Read back, the secret has to come from the environment again.
        File.WriteAllText(folder.ConfigPath, yaml);
        Assert.Equal(options, folder.Load(new() { ["GHIDRA_REGION__SECRET"] = RegionConfigTests.Secret }));
    }

    [Fact]
    public void ToYaml_OfDefaults_WritesEmptyRegionListsThatReadBack()
    {
        using var folder = new ConfigFolder();
        var defaults = folder.Load();

        var yaml = ConfigWriter.ToYaml(defaults);
        File.WriteAllText(folder.ConfigPath, yaml);

        Assert.Contains("regions: []", yaml, StringComparison.Ordinal);
        Assert.Contains("endpoints: {}", yaml, StringComparison.Ordinal);
        Assert.Equal(defaults, folder.Load());
    }
}
