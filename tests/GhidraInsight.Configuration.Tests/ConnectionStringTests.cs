using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

/// <summary>
/// <c>storage.provider: postgres</c> and its keys: the connection string (required, hosts named, never a password in it), the
/// password (a file or the environment, never the config file, never written), the read host and the write deadline.
/// </summary>
public sealed class ConnectionStringTests
{
    private const string Hosts = "Host=db-us:5432,db-eu:5432;Database=ghidrainsight;Username=ghidra";

    [Fact]
    public void EmptyConnectionString_InTheFile_LoadsForSqlite()
    {
        using var folder = new ConfigFolder("storage:\n  provider: sqlite\n  connection_string: \"\"\n");

        var storage = folder.Load().Storage;

        Assert.Equal(("sqlite", null), (storage.Provider, storage.ConnectionString));
    }

    [Fact]
    public void Postgres_WithHostsAndAPasswordFile_Loads()
    {
        using var folder = new ConfigFolder($"""
            storage:
              provider: postgres
              connection_string: "{Hosts}"
              password_file: ./db-password
              read_host: db-eu:5432
              write_deadline_ms: 4000
            """);
        File.WriteAllText(Path.Combine(folder.Path, "db-password"), "s3cret-pass\n");

        var storage = folder.Load().Storage;

        Assert.True(storage.IsPostgres);
        Assert.Equal((Hosts, "s3cret-pass", "db-eu:5432", 4000), (storage.ConnectionString, storage.Password, storage.ReadHost, storage.WriteDeadlineMs));
    }

    [Fact]
    public void ThePassword_FromTheEnvironment_WinsOverTheFile_AndIsNeverWritten()
    {
        using var folder = new ConfigFolder($"storage:\n  provider: postgres\n  connection_string: \"{Hosts}\"\n  password_file: ./nowhere\n");

        var options = folder.Load(new() { ["GHIDRA_STORAGE__PASSWORD"] = "from-the-env" });
        var yaml = ConfigWriter.ToYaml(options);

        Assert.Equal("from-the-env", options.Storage.Password);
        Assert.DoesNotContain("from-the-env", yaml, StringComparison.Ordinal);
        Assert.Contains("connection_string", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_WithoutAConnectionString_SaysItIsRequired()
    {
        using var folder = new ConfigFolder("storage:\n  provider: postgres\n");

        var line = Assert.Single(folder.LoadFails().Errors);

        Assert.StartsWith("storage.connection_string (GHIDRA_STORAGE__CONNECTION_STRING) is required with storage.provider postgres", line, StringComparison.Ordinal);
    }

    [Fact]
    public void AConnectionStringHoldingAPassword_IsRefusedWithoutShowingIt()
    {
        using var folder = new ConfigFolder("storage:\n  provider: postgres\n  connection_string: \"Host=db;Password=hunter2\"\n");

        var line = Assert.Single(folder.LoadFails().Errors);

        Assert.Equal("storage.connection_string (GHIDRA_STORAGE__CONNECTION_STRING) = '***': must not hold the password; put it in a file named by "
            + $"storage.password_file or set GHIDRA_STORAGE__PASSWORD (line 3 of {folder.ConfigPath})", line);
    }

    [Theory]
    [InlineData("Database=x;Username=ghidra")]
    [InlineData("just some words")]
    public void AConnectionStringWithoutHosts_IsOneLine(string value)
    {
        using var folder = new ConfigFolder();

        var line = Assert.Single(folder.LoadFails(new() { ["GHIDRA_STORAGE__PROVIDER"] = "postgres", ["GHIDRA_STORAGE__CONNECTION_STRING"] = value }).Errors);

        Assert.StartsWith($"storage.connection_string (GHIDRA_STORAGE__CONNECTION_STRING) = '{value}': must be a PostgreSQL connection string", line, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePasswordInTheConfigFile_IsRefusedWithoutEchoingIt()
    {
        using var folder = new ConfigFolder($"storage:\n  provider: postgres\n  connection_string: \"{Hosts}\"\n  password: hunter2\n");

        var error = folder.LoadFails();

        Assert.StartsWith("storage.password (GHIDRA_STORAGE__PASSWORD) (line 4 of", Assert.Single(error.Errors), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingPasswordFile_NamesTheKeyAndThePath()
    {
        using var folder = new ConfigFolder($"storage:\n  provider: postgres\n  connection_string: \"{Hosts}\"\n  password_file: ./nowhere\n");

        var line = Assert.Single(folder.LoadFails().Errors);

        Assert.Equal($"storage.password_file (GHIDRA_STORAGE__PASSWORD_FILE) = './nowhere': {Path.Combine(folder.Path, "nowhere")} not found; "
            + $"it must be a readable file holding the database password (line 4 of {folder.ConfigPath})", line);
    }

    [Theory]
    [InlineData("storage.read_host", "db eu", "must be a host or host:port")]
    [InlineData("storage.write_deadline_ms", "50", "must be an integer from 100 to 600000")]
    [InlineData("storage.provider", "mysql", "must be sqlite or postgres")]
    [InlineData("storage.patroni_url", "localhost:8008", "must be an absolute http or https URL, e.g. http://127.0.0.1:3101")]
    public void BadValues_AreOneLineEach(string key, string value, string allowed)
    {
        using var folder = new ConfigFolder();

        var line = Assert.Single(folder.LoadFails(flags: new() { [key] = value }).Errors);

        Assert.Contains($"= '{value}': {allowed}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_WithSeveralRegions_NeedsTheRegionsPatroni()
    {
        using var folder = new ConfigFolder($$"""
            storage:
              provider: postgres
              connection_string: "{{Hosts}}"
            region:
              enabled: true
              current_region: us-east-1
              regions: [us-east-1]
              endpoints: { us-east-1: "http://127.0.0.1:3101" }
            """);

        var line = Assert.Single(folder.LoadFails().Errors);

        Assert.StartsWith("storage.patroni_url (GHIDRA_STORAGE__PATRONI_URL) is required with storage.provider postgres and region.enabled", line, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:8008", folder.Load(new() { ["GHIDRA_STORAGE__PATRONI_URL"] = "http://127.0.0.1:8008" }).Storage.PatroniUrl);
    }
}
