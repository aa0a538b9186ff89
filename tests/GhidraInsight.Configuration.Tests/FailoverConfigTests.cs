using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

/// <summary>The failover keys: check interval, election timeout, switchover timeout, witness, and sync mode's precondition.</summary>
public sealed class FailoverConfigTests
{
    [Fact]
    public void Defaults_AreQuickEnoughToFailOverInAboutASecond()
    {
        using var folder = new ConfigFolder();
        var region = folder.Load(RegionConfigTests.TwoRegionEnvironment()).Region;

        Assert.Equal((250, 500, 30), (region.FailoverCheckIntervalMs, region.ElectionTimeoutMs, region.SwitchoverTimeoutSeconds));
        Assert.Null(region.Witness);
        Assert.Equal(["us-east-1", "eu-west-1"], region.Voters);
    }

    [Fact]
    public void Witness_IsAVoterWithAnEndpoint_AndMayBeThisProcess()
    {
        using var folder = new ConfigFolder();
        var environment = RegionConfigTests.TwoRegionEnvironment();
        environment["GHIDRA_REGION__WITNESS"] = "tie-breaker";
        environment["GHIDRA_REGION__ENDPOINTS"] += ",tie-breaker=http://127.0.0.1:3109";
        environment["GHIDRA_REGION__FAILOVER_CHECK_INTERVAL_MS"] = "100";
        environment["GHIDRA_REGION__ELECTION_TIMEOUT_MS"] = "300";
        environment["GHIDRA_REGION__SWITCHOVER_TIMEOUT"] = "7";

        var region = folder.Load(environment).Region;
        environment["GHIDRA_REGION__CURRENT_REGION"] = "tie-breaker";
        var witness = folder.Load(environment).Region;

        Assert.Equal(["us-east-1", "eu-west-1", "tie-breaker"], region.Voters);
        Assert.Equal((100, 300, 7), (region.FailoverCheckIntervalMs, region.ElectionTimeoutMs, region.SwitchoverTimeoutSeconds));
        Assert.False(region.IsWitness);
        Assert.True(witness.IsWitness);
    }

    [Fact]
    public void Witness_ThatIsARegion_OrHasNoEndpoint_IsOneLineEach()
    {
        using var folder = new ConfigFolder();
        var environment = RegionConfigTests.TwoRegionEnvironment();
        environment["GHIDRA_REGION__WITNESS"] = "eu-west-1";
        var isRegion = folder.LoadFails(environment);
        environment["GHIDRA_REGION__WITNESS"] = "tie-breaker";
        var noEndpoint = folder.LoadFails(environment);

        Assert.Equal(["region.witness (GHIDRA_REGION__WITNESS) = 'eu-west-1': is one of region.regions (us-east-1, eu-west-1); "
            + "a witness is a separate member that stores no data"], isRegion.Errors);
        var line = Assert.Single(noEndpoint.Errors);
        Assert.StartsWith("region.endpoints.tie-breaker (GHIDRA_REGION__ENDPOINTS): missing", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GHIDRA_REGION__FAILOVER_CHECK_INTERVAL_MS", "5")]
    [InlineData("GHIDRA_REGION__ELECTION_TIMEOUT_MS", "soon")]
    [InlineData("GHIDRA_REGION__SWITCHOVER_TIMEOUT", "0")]
    public void OutOfRangeTiming_IsOneLineNamingKeyAndVariable(string variable, string value)
    {
        using var folder = new ConfigFolder();
        var environment = RegionConfigTests.TwoRegionEnvironment();
        environment[variable] = value;

        var line = Assert.Single(folder.LoadFails(environment).Errors);

        Assert.Contains($"({variable}) = '{value}'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void SyncMode_WithoutAnotherRegionToReplicateTo_IsRefused()
    {
        using var folder = new ConfigFolder();
        var environment = RegionConfigTests.TwoRegionEnvironment();
        environment["GHIDRA_REGION__REPLICATION_MODE"] = "sync";

        var line = Assert.Single(folder.LoadFails(environment).Errors);
        environment["GHIDRA_REGION_REPLICATION_ENABLED"] = "true";
        var region = folder.Load(environment).Region;

        Assert.StartsWith("region.replication_mode (GHIDRA_REGION__REPLICATION_MODE) = 'sync': sync acknowledges a write only once another region stored it",
            line, StringComparison.Ordinal);
        Assert.Equal(ReplicationMode.Sync, region.ReplicationMode);
    }

    [Fact]
    public void FailoverKeys_AreWrittenAndReadBackEqual()
    {
        using var folder = new ConfigFolder();
        var environment = RegionConfigTests.TwoRegionEnvironment();
        environment["GHIDRA_REGION__WITNESS"] = "tie-breaker";
        environment["GHIDRA_REGION__ENDPOINTS"] += ",tie-breaker=http://127.0.0.1:3109";
        environment["GHIDRA_REGION__FAILOVER_CHECK_INTERVAL_MS"] = "120";
        environment["GHIDRA_REGION__ELECTION_TIMEOUT_MS"] = "350";
        environment["GHIDRA_REGION__SWITCHOVER_TIMEOUT"] = "9";
        var original = folder.Load(environment);

        File.WriteAllText(folder.ConfigPath, ConfigWriter.ToYaml(original));
        var readBack = folder.Load(new Dictionary<string, string> { ["GHIDRA_REGION__SECRET"] = RegionConfigTests.Secret });

        Assert.Equal(original.Region, readBack.Region);
    }
}
