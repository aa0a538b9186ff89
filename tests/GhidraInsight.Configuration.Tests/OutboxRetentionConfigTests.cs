using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

/// <summary><c>region.outbox_retention</c> and <c>region.outbox_max_entries</c>: when a replication target is past retention.</summary>
public sealed class OutboxRetentionConfigTests
{
    [Fact]
    public void Defaults_KeepEntriesSevenDaysAndAMillionPerTarget()
    {
        using var folder = new ConfigFolder();

        var region = folder.Load().Region;

        Assert.Equal((604_800, 1_000_000L), (region.OutboxRetentionSeconds, region.OutboxMaxEntries));
    }

    [Fact]
    public void EnvironmentVariables_SetThem_AndZeroEntriesMeansNoSizeLimit()
    {
        using var folder = new ConfigFolder("region:\n  outbox_retention: 120\n  outbox_max_entries: 5000000000\n");

        var fromFile = folder.Load().Region;
        var fromEnvironment = folder.Load(new() { ["GHIDRA_REGION__OUTBOX_RETENTION"] = "60", ["GHIDRA_REGION__OUTBOX_MAX_ENTRIES"] = "0" }).Region;

        Assert.Equal((120, 5_000_000_000L), (fromFile.OutboxRetentionSeconds, fromFile.OutboxMaxEntries));
        Assert.Equal((60, 0L), (fromEnvironment.OutboxRetentionSeconds, fromEnvironment.OutboxMaxEntries));
    }

    [Theory]
    [InlineData("GHIDRA_REGION__OUTBOX_RETENTION", "59", "region.outbox_retention (GHIDRA_REGION__OUTBOX_RETENTION) = '59': must be an integer of at least 60")]
    [InlineData("GHIDRA_REGION__OUTBOX_RETENTION", "1w", "region.outbox_retention (GHIDRA_REGION__OUTBOX_RETENTION) = '1w': must be an integer of at least 60")]
    [InlineData("GHIDRA_REGION__OUTBOX_MAX_ENTRIES", "-1", "region.outbox_max_entries (GHIDRA_REGION__OUTBOX_MAX_ENTRIES) = '-1': must be an integer of at least 0")]
    public void OutOfBoundsValue_IsOneLineNamingKeyVariableAndValue(string variable, string value, string expected)
    {
        using var folder = new ConfigFolder();

        Assert.Equal(expected, Assert.Single(folder.LoadFails(new() { [variable] = value }).Errors));
    }

    [Fact]
    public void BadValueInTheFile_SaysWhichLine()
    {
        using var folder = new ConfigFolder("region:\n  outbox_max_entries: lots\n");

        Assert.Equal($"region.outbox_max_entries (GHIDRA_REGION__OUTBOX_MAX_ENTRIES) = 'lots': must be an integer of at least 0 (line 2 of {folder.ConfigPath})",
            Assert.Single(folder.LoadFails().Errors));
    }

    [Fact]
    public void ConfigWriter_WritesThem_AndTheyReadBack()
    {
        using var folder = new ConfigFolder();
        var options = folder.Load(new() { ["GHIDRA_REGION__OUTBOX_RETENTION"] = "86400", ["GHIDRA_REGION__OUTBOX_MAX_ENTRIES"] = "0" });

        var yaml = ConfigWriter.ToYaml(options);
        folder.Write(yaml);

        Assert.Contains("outbox_retention: 86400", yaml, StringComparison.Ordinal);
        Assert.Contains("outbox_max_entries: 0", yaml, StringComparison.Ordinal);
        Assert.Equal(options, folder.Load());
    }
}
