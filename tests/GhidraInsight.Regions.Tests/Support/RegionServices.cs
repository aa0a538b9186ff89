using GhidraInsight.Configuration;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Regions.Tests.Support;

/// <summary>
/// The multi-region services exactly as a host composes them (<c>AddRegions</c>), over a fake replication log, a test clock and,
/// when given, a handler under the health probes (to simulate latency).
/// </summary>
internal static class RegionServices
{
    public static ServiceProvider Build(RegionOptions region, TimeProvider time, FakeReplicationLog? log = null, HttpMessageHandler? probes = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(time);
        services.AddSingleton<IOptionsMonitor<RegionOptions>>(new TestOptionsMonitor<RegionOptions>(region));
        services.AddSingleton<IReplicationLog>(log ?? new FakeReplicationLog(time));
        services.AddRegions(new GhidraOptions { Region = region });
        if (probes is not null)
        {
            services.AddHttpClient(RegionHttpClients.Health).ConfigurePrimaryHttpMessageHandler(() => probes);
        }

        return services.BuildServiceProvider();
    }
}
