using GhidraInsight.Configuration;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Hosting;

/// <summary>One running region: the ASP.NET Core host, its store and its address.</summary>
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

    /// <summary>Opens the store, applies migrations, and starts listening.</summary>
    /// <param name="options">Validated options (from <c>ConfigLoader</c>).</param>
    /// <param name="store">The region's store; the host owns and disposes it.</param>
    /// <param name="configureLogging">Adjusts logging (tests quiet it).</param>
    /// <param name="cancellationToken">Stops a start that takes too long.</param>
    /// <param name="role">
    /// Who is primary; the store should stamp <see cref="PrimaryRole.Epoch"/> on its writes. Default: <see cref="CreateRole"/>.
    /// </param>
    public static async Task<RegionHost> StartAsync(GhidraOptions options, IAnalysisStore store, Action<ILoggingBuilder>? configureLogging = null,
        CancellationToken cancellationToken = default, PrimaryRole? role = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var app = await RegionApplication.BuildAsync(options, store, role ?? CreateRole(options), configureLogging, cancellationToken).ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        Log.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GhidraInsight.Server"), options.Region.CurrentRegion, uri.ToString());
        return new RegionHost(app, uri);
    }

    /// <summary>
    /// The role a region with these options starts with: confirmed by the Raft group when it runs an election
    /// (<see cref="PrimaryElection.IsEnabled"/>), else the configured primary at epoch 1.
    /// </summary>
    public static PrimaryRole CreateRole(GhidraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PrimaryElection.IsEnabled(options.Region) ? PrimaryRole.Elected(options.Region) : PrimaryRole.Fixed(options.Region);
    }

    /// <summary>Completes when the host stops (SIGTERM, Ctrl+C, or <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
