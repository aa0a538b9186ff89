using GhidraInsight.Configuration.Tests.Support;

namespace GhidraInsight.Configuration.Tests.Reload;

/// <summary>A watched config file: a change reloads it after a short debounce, with the same rules as <see cref="GhidraConfiguration.Reload"/>.</summary>
public sealed class FileChangeReloadTests
{
    [Fact]
    public async Task ChangingTheFile_ReloadsAReloadableKey_AndFiresTheChangeToken()
    {
        using var folder = new ConfigFolder("region:\n  health_check_interval: 5\n");
        using var configuration = folder.LoadConfiguration(watch: true);
        var changed = Notifications.WhenFired(configuration.GetChangeToken());

        folder.Write("region:\n  health_check_interval: 9\n");
        await changed;

        Assert.Equal(9, configuration.Current.Region.HealthCheckIntervalSeconds);
    }

    [Fact]
    public async Task BreakingTheFile_IsRefused_AndTheRunningValueStays()
    {
        using var folder = new ConfigFolder("region:\n  failure_threshold: 3\n");
        var logger = new RecordingLogger();
        using var configuration = folder.LoadConfiguration(logger: logger, watch: true);
        var refused = Notifications.NextReload(configuration, ReloadTrigger.ConfigFileChanged, r => !r.Accepted);

        folder.Write("region:\n  failure_threshold: 0\n");
        var result = await refused;

        var expected = $"region.failure_threshold (GHIDRA_REGION__FAILURE_THRESHOLD) = '0': must be an integer of at least 1 (line 2 of {folder.ConfigPath})";
        Assert.Equal([expected], result.Errors);
        Assert.Equal(3, configuration.Current.Region.FailureThreshold);
        Assert.Contains($"Configuration problem: {expected}", logger.Messages(2004));
    }

    [Fact]
    public async Task DeletingTheFile_IsRefused_AsAMissingConfigFile()
    {
        using var folder = new ConfigFolder("server:\n  rate_limit_per_minute: 60\n");
        using var configuration = folder.LoadConfiguration(watch: true);
        var refused = Notifications.NextReload(configuration, ReloadTrigger.ConfigFileChanged, r => !r.Accepted);

        File.Delete(folder.ConfigPath);
        var result = await refused;

        Assert.Equal([$"config file '{folder.ConfigPath}' (--config or GHIDRA_CONFIG) not found"], result.Errors);
        Assert.Equal(60, configuration.Current.Server.RateLimitPerMinute);
    }
}
