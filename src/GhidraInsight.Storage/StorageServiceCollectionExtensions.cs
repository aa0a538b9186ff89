using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GhidraInsight.Storage;

/// <summary>Registers a region's store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RegionStorage"/> (SQLite in <paramref name="dataDirectory"/>) and its two parts,
    /// <see cref="IAnalysisStore"/> and <see cref="IReplicationLog"/>, unless a storage is already registered. It uses a
    /// registered <see cref="TimeProvider"/> when there is one. The host calls <see cref="RegionStorage.InitializeAsync"/> at start.
    /// </summary>
    public static IServiceCollection AddRegionStorage(this IServiceCollection services, string dataDirectory, long maxBinaryBytes)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBinaryBytes);
        services.TryAddSingleton(provider => AnalysisStores.OpenSqlite(dataDirectory, maxBinaryBytes, provider.GetService<TimeProvider>()));
        services.TryAddSingleton(provider => provider.GetRequiredService<RegionStorage>().Analyses);
        services.TryAddSingleton(provider => provider.GetRequiredService<RegionStorage>().Replication);
        return services;
    }
}
