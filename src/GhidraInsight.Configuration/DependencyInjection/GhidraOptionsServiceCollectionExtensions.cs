using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GhidraInsight.Configuration;

/// <summary>Registers a <see cref="GhidraConfiguration"/> with the options pattern.</summary>
public static class GhidraOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="configuration"/> and <c>IOptionsMonitor</c> of <see cref="GhidraOptions"/>,
    /// <see cref="ServerOptions"/>, <see cref="StorageOptions"/>, <see cref="AuthOptions"/> and <see cref="RegionOptions"/>:
    /// each reads <see cref="GhidraConfiguration.Current"/>, and raises <c>OnChange</c> when a reload changed its part.
    /// The sections' validators are registered too, and run at start (<c>ValidateOnStart</c>).
    /// </summary>
    public static IServiceCollection AddGhidraOptions(this IServiceCollection services, GhidraConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(configuration);
        services.AddOptions();

        AddView(services, configuration, o => o, configuration.GetChangeToken);
        AddView(services, configuration, o => o.Server, () => configuration.GetChangeToken(ServerSettings.Section));
        AddView(services, configuration, o => o.Storage, () => configuration.GetChangeToken(StorageSettings.Section));
        AddView(services, configuration, o => o.Auth, () => configuration.GetChangeToken(AuthSettings.Section));
        AddView(services, configuration, o => o.Region, () => configuration.GetChangeToken(RegionSettings.Section));
        AddView(services, configuration, o => o.Gateway, () => configuration.GetChangeToken(GatewaySettings.Section));

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>(_ => new(configuration)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>(_ => new(configuration)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>(_ => new(configuration)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegionOptions>, RegionOptionsValidator>(_ => new(configuration)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>(_ => new(configuration)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GhidraOptions>, GhidraOptionsValidator>(_ => new(configuration)));
        return services;
    }

    /// <summary>
    /// Options built in code (tests, benchmarks): <c>IOptionsMonitor</c> of <see cref="GhidraOptions"/> and of every section,
    /// never changing, so a host composes the same way whether its options can reload or not.
    /// </summary>
    public static IServiceCollection AddFixedGhidraOptions(this IServiceCollection services, GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton<IOptionsMonitor<GhidraOptions>>(new FixedOptionsMonitor<GhidraOptions>(options));
        services.TryAddSingleton<IOptionsMonitor<ServerOptions>>(new FixedOptionsMonitor<ServerOptions>(options.Server));
        services.TryAddSingleton<IOptionsMonitor<StorageOptions>>(new FixedOptionsMonitor<StorageOptions>(options.Storage));
        services.TryAddSingleton<IOptionsMonitor<AuthOptions>>(new FixedOptionsMonitor<AuthOptions>(options.Auth));
        services.TryAddSingleton<IOptionsMonitor<RegionOptions>>(new FixedOptionsMonitor<RegionOptions>(options.Region));
        services.TryAddSingleton<IOptionsMonitor<GatewayOptions>>(new FixedOptionsMonitor<GatewayOptions>(options.Gateway));
        return services;
    }

    private static void AddView<TOptions>(IServiceCollection services, GhidraConfiguration configuration, Func<GhidraOptions, TOptions> select,
        Func<Microsoft.Extensions.Primitives.IChangeToken> changeToken)
        where TOptions : class
    {
        services.TryAddSingleton<IOptionsFactory<TOptions>>(provider => new CurrentOptionsFactory<TOptions>(
            () => select(configuration.Current),
            provider.GetServices<IConfigureOptions<TOptions>>(),
            provider.GetServices<IPostConfigureOptions<TOptions>>(),
            provider.GetServices<IValidateOptions<TOptions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOptionsChangeTokenSource<TOptions>, CurrentOptionsChangeTokenSource<TOptions>>(
            _ => new(changeToken)));
        services.AddOptions<TOptions>().ValidateOnStart();
    }
}
