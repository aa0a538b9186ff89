using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GhidraInsight.Storage;

/// <summary>Registers the analysis store.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton SQLite <see cref="IAnalysisStore"/> unless one is already registered. It uses a registered
    /// <see cref="TimeProvider"/> when there is one. The host must call <see cref="IAnalysisStore.InitializeAsync"/> at start.
    /// </summary>
    public static IServiceCollection AddAnalysisStore(this IServiceCollection services, string dataDirectory, long maxBinaryBytes)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBinaryBytes);
        services.TryAddSingleton(provider =>
            AnalysisStores.OpenSqlite(dataDirectory, maxBinaryBytes, provider.GetService<TimeProvider>()));
        return services;
    }
}
