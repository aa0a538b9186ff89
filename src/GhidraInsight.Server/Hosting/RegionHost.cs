using GhidraInsight.Configuration;
using GhidraInsight.Http.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Hosting;

/// <summary>One running region: the ASP.NET Core host (its store, role and multi-region services inside) and its address.</summary>
public sealed class RegionHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RegionHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the region listens, e.g. <c>http://127.0.0.1:3101/</c> (the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>The host's services (for tests and tools that look inside a running region).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a region from a reloadable configuration (serve): its reloadable keys (<c>ConfigNames.Reloadable</c>) apply while it
    /// runs, on a change of the config file or <see cref="GhidraConfiguration.Reload"/>.
    /// </summary>
    public static Task<RegionHost> StartAsync(GhidraConfiguration configuration, Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return StartAsync(configuration.Current, configuration, configureLogging, cancellationToken);
    }

    /// <summary>Opens the store in <c>storage.data_dir</c>, applies migrations, joins the regions, and starts listening.</summary>
    /// <param name="options">Validated options (from <c>ConfigLoader</c>, or built in code); they stay as given.</param>
    /// <param name="configureLogging">Adjusts logging (tests quiet it).</param>
    /// <param name="cancellationToken">Stops a start that takes too long.</param>
    public static Task<RegionHost> StartAsync(GhidraOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return StartAsync(options, null, configureLogging, cancellationToken);
    }

    private static async Task<RegionHost> StartAsync(GhidraOptions options, GhidraConfiguration? configuration, Action<ILoggingBuilder>? configureLogging,
        CancellationToken cancellationToken)
    {
        var app = await RegionApplication.BuildAsync(options, configuration, configureLogging, cancellationToken).ConfigureAwait(false);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.StopAfterFailedStartAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        Log.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GhidraInsight.Server"), options.Region.CurrentRegion, uri.ToString());
        return new RegionHost(app, uri);
    }

    /// <summary>Completes when the host stops (SIGTERM, Ctrl+C, or <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
