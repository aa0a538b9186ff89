using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests;

/// <summary><c>storage.connection_string</c>: still recognised so existing configs load, accepted only empty, never echoed or written.</summary>
public sealed class ConnectionStringTests
{
    [Fact]
    public void EmptyConnectionString_InTheFile_Loads()
    {
        using var folder = new ConfigFolder("storage:\n  provider: sqlite\n  connection_string: \"\"\n");

        Assert.Equal("sqlite", folder.Load().Storage.Provider);
    }

    [Fact]
    public void NonEmptyConnectionString_InTheFile_IsRefusedWithoutShowingIt()
    {
        using var folder = new ConfigFolder("storage:\n  connection_string: \"Host=db;Password=hunter2\"\n");

        var line = Assert.Single(folder.LoadFails().Errors);

        Assert.Equal($"storage.connection_string (GHIDRA_STORAGE__CONNECTION_STRING) = '***': is only used with storage.provider postgres, "
            + $"which is not available in this version (line 2 of {folder.ConfigPath})", line);
    }

    [Fact]
    public void NonEmptyConnectionString_FromTheEnvironmentOrAFlag_IsRefused()
    {
        using var folder = new ConfigFolder();

        var fromEnvironment = Assert.Single(folder.LoadFails(new() { ["GHIDRA_STORAGE__CONNECTION_STRING"] = "Host=db" }).Errors);
        var fromFlag = Assert.Single(folder.LoadFails(flags: new() { ["storage.connection_string"] = "Host=db" }).Errors);

        Assert.StartsWith("storage.connection_string (GHIDRA_STORAGE__CONNECTION_STRING) = '***': is only used with", fromEnvironment, StringComparison.Ordinal);
        Assert.EndsWith("(command-line flag)", fromFlag, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigWriter_NoLongerWritesIt()
    {
        using var folder = new ConfigFolder("storage:\n  connection_string: \"\"\n");

        Assert.DoesNotContain("connection_string", ConfigWriter.ToYaml(folder.Load()), StringComparison.Ordinal);
    }
}
