using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

public sealed class YamlFileErrorTests
{
    [Fact]
    public void Load_UnknownKey_NamesKeyLineAndKnownKeys()
    {
        using var folder = new ConfigFolder("server:\n  host: 127.0.0.1\n  prot: 3101\n");

        var error = folder.LoadFails();

        Assert.Equal(
            $"server.prot (line 3 of {folder.ConfigPath}): unknown key; known keys in server: host, port, max_upload_bytes, analysis_concurrency, "
            + "analysis_queue_limit, analysis_timeout_seconds, request_timeout_seconds, rate_limit_per_minute, tls.cert_file, tls.key_file, allow_insecure_http",
            Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_UnknownSection_NamesTheKnownSections()
    {
        using var folder = new ConfigFolder("server:\n  port: 3101\nsevrer:\n  port: 1\n");

        var error = folder.LoadFails();

        Assert.Equal($"sevrer (line 3 of {folder.ConfigPath}): unknown key; known sections: server, storage, auth, region, gateway", Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_SyntaxError_IsOneLineWithFileAndLine()
    {
        using var folder = new ConfigFolder("server:\n  host: 127.0.0.1\n  port: [3101\nstorage:\n  provider: sqlite\n");

        var error = folder.LoadFails();

        var line = Assert.Single(error.Errors);
        Assert.StartsWith($"{folder.ConfigPath} line ", line, StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Load_DuplicateKey_IsReportedWithItsLine()
    {
        using var folder = new ConfigFolder("server:\n  port: 1\n  port: 2\n");

        var line = Assert.Single(folder.LoadFails().Errors);

        Assert.StartsWith($"{folder.ConfigPath} line 3,", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingConfigFile_IsOneLine()
    {
        using var folder = new ConfigFolder();
        var missing = Path.Combine(folder.Path, "nope.yaml");

        var error = Assert.Throws<ConfigurationException>(() =>
            ConfigLoader.Load(new ConfigSources(missing, new Dictionary<string, string>(), new Dictionary<string, string>())));

        Assert.Equal($"config file '{missing}' (--config or GHIDRA_CONFIG) not found", Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_ListWhereValueExpected_IsAWrongTypeError()
    {
        using var folder = new ConfigFolder("server:\n  port:\n    - 1\n    - 2\n");

        var error = folder.LoadFails();

        Assert.Equal($"server.port (GHIDRA_SERVER__PORT) (line 3 of {folder.ConfigPath}): must be a single value, not a list", Assert.Single(error.Errors));
    }

    [Fact]
    public void Load_SectionThatIsNotAMapping_IsAWrongTypeError()
    {
        using var folder = new ConfigFolder("server: 3101\n");

        var line = Assert.Single(folder.LoadFails().Errors);

        Assert.StartsWith($"server (line 1 of {folder.ConfigPath}): must be a mapping of keys: host, port", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RootThatIsAList_IsAWrongTypeError()
    {
        using var folder = new ConfigFolder("- server\n");

        var line = Assert.Single(folder.LoadFails().Errors);

        Assert.Equal($"{folder.ConfigPath} line 1: must be a mapping of sections: server, storage, auth, region, gateway", line);
    }

    [Fact]
    public void Load_UnknownFlagKey_IsReported()
    {
        using var folder = new ConfigFolder();

        var line = Assert.Single(folder.LoadFails(flags: new() { ["storage.dir"] = "x" }).Errors);

        Assert.StartsWith("storage.dir (command-line flag): unknown key; known keys in storage: provider, data_dir", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileAndEnvironmentErrors_AreReportedTogether()
    {
        using var folder = new ConfigFolder("server:\n  prot: 1\n");

        var error = folder.LoadFails(new() { ["GHIDRA_SERVER__PORT"] = "x" });

        Assert.Equal(2, error.Errors.Count);
    }
}
