using GhidraInsight.Configuration;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Tests.Support;
using GhidraInsight.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Tests;

public sealed class RegionsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddRegions_with_an_election_resolves_every_service_and_runs_the_regions_and_the_coordinator()
    {
        var data = Directory.CreateTempSubdirectory("gi-regions-di-");
        var options = new GhidraOptions
        {
            Storage = new StorageOptions { DataDir = data.FullName },
            Region = new RegionOptions
            {
                Enabled = true,
                CurrentRegion = "a",
                Regions = ["a", "b", "c"],
                Endpoints = new Dictionary<string, Uri> { ["a"] = new("http://127.0.0.1:1"), ["b"] = new("http://127.0.0.1:2"), ["c"] = new("http://127.0.0.1:3") },
                ReplicationEnabled = true,
                ReplicationRegions = ["c"],
                Secret = new string('s', 32),
            },
        };

        await using (var provider = Build(options))
        {
            Assert.Equal("", provider.GetRequiredService<MultiRegionManager>().PrimaryRegion);
            Assert.Equal(["c"], provider.GetRequiredService<ReplicationService>().Targets);
            Assert.NotNull(provider.GetRequiredService<RegionRequestVerifier>());
            Assert.NotNull(provider.GetRequiredService<ReplicationReceiver>());
            Assert.False(provider.GetRequiredService<PrimaryRole>().CanAcceptStrongWrites(out _));
            var hosted = provider.GetServices<IHostedService>().ToList();
            Assert.Contains(hosted, service => service is FailoverCoordinator);
            Assert.Contains(hosted, service => service.GetType().Name == "RegionsBackgroundService");
            Assert.True(Directory.Exists(Path.Combine(data.FullName, "raft")));
        }

        data.Delete(recursive: true);
    }

    [Fact]
    public async Task AddRegions_runs_nothing_when_regions_are_disabled()
    {
        await using var provider = Build(new GhidraOptions());

        Assert.DoesNotContain(provider.GetServices<IHostedService>(), service => service.GetType().Name is "RegionsBackgroundService" or "FailoverCoordinator");
        Assert.Empty(provider.GetRequiredService<ReplicationService>().Targets);
        Assert.True(provider.GetRequiredService<MultiRegionManager>().IsCurrentRegionPrimary);
        Assert.Null(provider.GetService<FailoverCoordinator>());
    }

    [Fact]
    public async Task A_request_scope_has_its_own_write_epoch_that_follows_the_role_until_a_strong_write_is_admitted()
    {
        await using var provider = Build(new GhidraOptions());
        await using var first = provider.CreateAsyncScope();
        await using var second = provider.CreateAsyncScope();

        var epoch = first.ServiceProvider.GetRequiredService<WriteEpoch>();
        epoch.Admit(7);

        Assert.Equal(7, epoch.Value);
        Assert.Equal(1, second.ServiceProvider.GetRequiredService<WriteEpoch>().Value);
    }

    private static ServiceProvider Build(GhidraOptions options)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IReplicationLog>(new FakeReplicationLog(TimeProvider.System));
        services.AddSingleton<IOptionsMonitor<RegionOptions>>(new TestOptionsMonitor<RegionOptions>(options.Region));
        return services.AddRegions(options).BuildServiceProvider();
    }
}
