using GhidraInsight.Configuration;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Security;
using GhidraInsight.Regions.Tests.Support;
using GhidraInsight.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GhidraInsight.Regions.Tests;

public sealed class RegionsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddRegions_resolves_every_service_and_runs_a_hosted_service_when_enabled()
    {
        var options = new GhidraOptions
        {
            Region = new RegionOptions
            {
                Enabled = true,
                CurrentRegion = "a",
                Regions = ["a", "b", "c"],
                Endpoints = new Dictionary<string, Uri> { ["a"] = new("http://127.0.0.1:1"), ["b"] = new("http://127.0.0.1:2"), ["c"] = new("http://127.0.0.1:3") },
                ReplicationEnabled = true,
                ReplicationRegions = ["c"],
                Secret = "s",
            },
        };
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IAnalysisStore>(new FakeAnalysisStore(TimeProvider.System));

        await using var provider = services.AddRegions(options).BuildServiceProvider();

        Assert.Equal("a", provider.GetRequiredService<MultiRegionManager>().PrimaryRegion);
        Assert.Equal(["c"], provider.GetRequiredService<ReplicationService>().Targets);
        Assert.NotNull(provider.GetRequiredService<RegionRequestVerifier>());
        Assert.NotNull(provider.GetRequiredService<ReplicationReceiver>());
        Assert.Single(provider.GetServices<IHostedService>());
    }

    [Fact]
    public async Task AddRegions_runs_nothing_when_regions_are_disabled()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IAnalysisStore>(new FakeAnalysisStore(TimeProvider.System));

        await using var provider = services.AddRegions(new GhidraOptions()).BuildServiceProvider();

        Assert.Empty(provider.GetServices<IHostedService>());
        Assert.Empty(provider.GetRequiredService<ReplicationService>().Targets);
        Assert.True(provider.GetRequiredService<MultiRegionManager>().IsCurrentRegionPrimary);
    }
}
