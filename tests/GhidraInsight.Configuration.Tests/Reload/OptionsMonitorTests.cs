using GhidraInsight.Configuration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration.Tests.Reload;

/// <summary><c>AddGhidraOptions</c>: options monitors over the running configuration, one per section, validated at start.</summary>
public sealed class OptionsMonitorTests
{
    [Fact]
    public void AddGhidraOptions_GivesEverySection_AndValidatesThemAtStart()
    {
        using var folder = new ConfigFolder("server:\n  port: 4100\nregion:\n  failure_threshold: 4\n");
        using var configuration = folder.LoadConfiguration();
        using var provider = new ServiceCollection().AddGhidraOptions(configuration).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Same(configuration.Current, provider.GetRequiredService<IOptionsMonitor<GhidraOptions>>().CurrentValue);
        Assert.Equal(4100, provider.GetRequiredService<IOptionsMonitor<ServerOptions>>().CurrentValue.Port);
        Assert.Equal(4, provider.GetRequiredService<IOptions<RegionOptions>>().Value.FailureThreshold);
        Assert.Same(configuration.Current.Storage, provider.GetRequiredService<IOptionsMonitor<StorageOptions>>().CurrentValue);
        Assert.Empty(provider.GetRequiredService<IOptionsMonitor<AuthOptions>>().CurrentValue.ApiKeys);
        Assert.IsType<RegionOptionsValidator>(Assert.Single(provider.GetServices<IValidateOptions<RegionOptions>>()));
    }

    [Fact]
    public void AReload_RaisesOnChange_OfTheSectionThatChanged_AndOfTheWhole_ButNotOfTheOthers()
    {
        using var folder = new ConfigFolder("server:\n  rate_limit_per_minute: 60\n");
        using var configuration = folder.LoadConfiguration();
        using var provider = new ServiceCollection().AddGhidraOptions(configuration).BuildServiceProvider();
        var server = provider.GetRequiredService<IOptionsMonitor<ServerOptions>>();
        var changes = new List<string>();
        using var onServer = server.OnChange(o => changes.Add($"server {o.RateLimitPerMinute}"));
        using var onRegion = provider.GetRequiredService<IOptionsMonitor<RegionOptions>>().OnChange(_ => changes.Add("region"));
        using var onAuth = provider.GetRequiredService<IOptionsMonitor<AuthOptions>>().OnChange(_ => changes.Add("auth"));
        using var onWhole = provider.GetRequiredService<IOptionsMonitor<GhidraOptions>>().OnChange(o => changes.Add($"whole {o.Server.RateLimitPerMinute}"));

        folder.Write("server:\n  rate_limit_per_minute: 120\n");
        configuration.Reload();

        Assert.Equal(["server 120", "whole 120"], changes.Order(StringComparer.Ordinal));
        Assert.Equal(120, server.CurrentValue.RateLimitPerMinute);
    }
}
