using GhidraInsight.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GhidraInsight.Storage;

/// <summary>Registers a region's store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded store, <see cref="RegionStorage"/> (SQLite in <paramref name="dataDirectory"/>), as
    /// <see cref="IRegionStore"/> with its parts <see cref="IAnalysisStore"/>, <see cref="IChangeFeed"/> and
    /// <see cref="IReplicationLog"/>, unless a storage is already registered. It uses a registered <see cref="TimeProvider"/>
    /// when there is one. The host calls <see cref="IRegionStore.InitializeAsync"/> at start.
    /// </summary>
    public static IServiceCollection AddRegionStorage(this IServiceCollection services, string dataDirectory, long maxBinaryBytes)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBinaryBytes);
        services.TryAddSingleton(provider => AnalysisStores.OpenSqlite(dataDirectory, maxBinaryBytes, provider.GetService<TimeProvider>()));
        services.TryAddSingleton<IRegionStore>(provider => provider.GetRequiredService<RegionStorage>());
        services.TryAddSingleton(provider => provider.GetRequiredService<RegionStorage>().Replication);
        return services.AddStoreParts();
    }

    /// <summary>
    /// Registers the PostgreSQL store (<see cref="PostgresStorage"/>) as <see cref="IRegionStore"/> with its parts, and an empty
    /// <see cref="IReplicationLog"/>: the database replicates, our outbox has nothing to ship. Throws
    /// <see cref="ArgumentException"/> with one line for a connection string the store cannot use.
    /// </summary>
    public static IServiceCollection AddPostgresRegionStorage(this IServiceCollection services, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var storage = PostgresStorage.Open(options);
        services.TryAddSingleton<IRegionStore>(_ => storage);
        services.TryAddSingleton<IReplicationLog>(new PostgresReplicationLog());
        services.TryAddSingleton(storage.Replication);
        services.TryAddSingleton(storage.Primary);
        return services.AddStoreParts();
    }

    private static IServiceCollection AddStoreParts(this IServiceCollection services)
    {
        services.TryAddSingleton(provider => provider.GetRequiredService<IRegionStore>().Analyses);
        services.TryAddSingleton(provider => provider.GetRequiredService<IRegionStore>().Changes);
        services.TryAddSingleton(provider => provider.GetRequiredService<IRegionStore>().Audit);
        return services;
    }
}
