using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

public sealed class LoadPrecedenceTests
{
    [Fact]
    public void Load_WithNoFileEnvOrFlags_ReturnsDefaults()
    {
        using var folder = new ConfigFolder();

        var options = folder.Load();

        var defaults = new GhidraOptions();
        Assert.Equal(defaults.Server, options.Server);
        Assert.Equal(defaults.Region, options.Region);
        Assert.Empty(options.Auth.ApiKeys);
        Assert.Equal(defaults.Storage with { DataDir = Path.GetFullPath("./data/local") }, options.Storage);
    }

    [Fact]
    public void Load_YamlFile_OverridesDefaults()
    {
        using var folder = new ConfigFolder("""
            server:
              port: 4100
              max_upload_bytes: 1024
              rate_limit_per_minute: 0
            storage:
              cache_entries: 9
            region:
              enabled: true
              current_region: eu-west-1
              regions: [eu-west-1]
              endpoints: { eu-west-1: "http://127.0.0.1:3102" }
            """);

        var options = folder.Load();

        Assert.Equal(4100, options.Server.Port);
        Assert.Equal(1024, options.Server.MaxUploadBytes);
        Assert.Equal(0, options.Server.RateLimitPerMinute);
        Assert.Equal(9, options.Storage.CacheEntries);
        Assert.True(options.Region.Enabled);
        Assert.Equal("eu-west-1", options.Region.CurrentRegion);
        Assert.Equal("127.0.0.1", options.Server.Host);
    }

    [Fact]
    public void Load_EnvironmentVariable_OverridesYaml()
    {
        using var folder = new ConfigFolder("server:\n  port: 4100\n  analysis_queue_limit: 3\n");

        var options = folder.Load(new() { ["GHIDRA_SERVER__PORT"] = "4200" });

        Assert.Equal(4200, options.Server.Port);
        Assert.Equal(3, options.Server.AnalysisQueueLimit);
    }

    [Fact]
    public void Load_Flag_OverridesEnvironment()
    {
        using var folder = new ConfigFolder("server:\n  port: 4100\n");

        var options = folder.Load(new() { ["GHIDRA_SERVER__PORT"] = "4200" }, new() { ["server.port"] = "4300" });

        Assert.Equal(4300, options.Server.Port);
    }

    [Fact]
    public void Load_EmptyEnvironmentVariable_CountsAsUnset()
    {
        using var folder = new ConfigFolder("server:\n  port: 4100\n");

        var options = folder.Load(new() { ["GHIDRA_SERVER__PORT"] = "" });

        Assert.Equal(4100, options.Server.Port);
    }

    [Fact]
    public void Load_SeedEnvironmentNames_AreHonoured()
    {
        using var folder = new ConfigFolder();

        var options = folder.Load(new()
        {
            ["GHIDRA_REGION_ENABLED"] = "true",
            ["GHIDRA_REGION_CURRENT"] = "ap-south-1",
            ["GHIDRA_REGION_PRIMARY"] = "us-east-1",
            ["GHIDRA_REGION_REPLICATION_ENABLED"] = "1",
            ["GHIDRA_REGION__REGIONS"] = "us-east-1,ap-south-1",
            ["GHIDRA_REGION__ENDPOINTS"] = "us-east-1=http://127.0.0.1:3101,ap-south-1=http://127.0.0.1:3103",
            ["GHIDRA_REGION__SECRET"] = "0123456789abcdef",
        });

        Assert.Equal((true, "ap-south-1", "us-east-1", true),
            (options.Region.Enabled, options.Region.CurrentRegion, options.Region.PrimaryRegion, options.Region.ReplicationEnabled));
    }

    [Fact]
    public void Load_CanonicalName_WinsOverSeedName()
    {
        using var folder = new ConfigFolder();

        var options = folder.Load(new() { ["GHIDRA_REGION_CURRENT"] = "ap-south-1", ["GHIDRA_REGION__CURRENT_REGION"] = "eu-west-1" });

        Assert.Equal("eu-west-1", options.Region.CurrentRegion);
    }

    [Fact]
    public void Load_BadSeedValue_NamesTheSeedVariable()
    {
        using var folder = new ConfigFolder();

        var error = folder.LoadFails(new() { ["GHIDRA_REGION_CURRENT"] = "US_EAST" });

        Assert.Equal(
            "region.current_region (GHIDRA_REGION_CURRENT) = 'US_EAST': must be a region name like us-east-1: 2 to 32 lowercase letters, digits and hyphens",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_WithoutConfigPath_ReadsFileNamedByGhidraConfig()
    {
        using var folder = new ConfigFolder("server:\n  port: 4100\n");

        var options = ConfigLoader.Load(new ConfigSources(null, new Dictionary<string, string> { ["GHIDRA_CONFIG"] = folder.ConfigPath }, new Dictionary<string, string>()));

        Assert.Equal(4100, options.Server.Port);
    }

    [Fact]
    public void Load_RelativeDataDirInFile_IsTakenFromTheFilesFolder()
    {
        using var folder = new ConfigFolder("storage:\n  data_dir: ./data/us-east-1\n");

        var options = folder.Load();

        Assert.Equal(Path.Combine(folder.Path, "data", "us-east-1"), options.Storage.DataDir);
    }

    [Fact]
    public void Load_RelativeDataDirFromEnvironmentOrFlag_IsTakenFromTheCurrentFolder()
    {
        using var folder = new ConfigFolder("storage:\n  data_dir: ./ignored\n");

        var fromEnvironment = folder.Load(new() { ["GHIDRA_STORAGE__DATA_DIR"] = "env-data" });
        var fromFlag = folder.Load(flags: new() { ["storage.data_dir"] = "flag-data" });

        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "env-data"), fromEnvironment.Storage.DataDir);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "flag-data"), fromFlag.Storage.DataDir);
    }

    [Fact]
    public void Load_AbsoluteDataDir_IsKept()
    {
        using var folder = new ConfigFolder();
        var absolute = Path.Combine(folder.Path, "abs");

        var options = folder.Load(new() { ["GHIDRA_STORAGE__DATA_DIR"] = absolute });

        Assert.Equal(absolute, options.Storage.DataDir);
    }

    [Fact]
    public void Load_NullYamlValues_KeepDefaults()
    {
        using var folder = new ConfigFolder("server:\n  port: ~\n  host:\nstorage:\n");

        var options = folder.Load();

        Assert.Equal(new ServerOptions(), options.Server);
    }

    [Fact]
    public void Load_EmptyFile_GivesDefaults()
    {
        using var folder = new ConfigFolder("# nothing here\n");

        Assert.Equal(new ServerOptions(), folder.Load().Server);
    }

    [Fact]
    public void ConfigNames_EveryEnvironmentVariable_FollowsTheSectionKeyRule()
    {
        foreach (var name in ConfigNames.All)
        {
            // A key of a group (server.tls.cert_file) nests in the variable too: GHIDRA_SERVER__TLS__CERT_FILE.
            Assert.Equal($"GHIDRA_{name.Section.ToUpperInvariant()}__{name.Name.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant()}", name.EnvironmentVariable);
            Assert.Contains(name.Section, ConfigNames.Sections);
        }

        Assert.Equal(ConfigNames.All.Count, ConfigNames.All.Select(n => n.Key).Distinct().Count());
    }
}
