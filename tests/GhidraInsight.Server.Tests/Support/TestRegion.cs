using System.Net.Http.Headers;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Server.Tests.Support;

/// <summary>A real region on a free loopback port with its own SQLite folder; disposed with the test.</summary>
internal sealed class TestRegion : IAsyncDisposable
{
    private TestRegion(RegionHost host, string dataDir, GhidraOptions options)
    {
        Host = host;
        DataDir = dataDir;
        Options = options;
        Client = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public RegionHost Host { get; }
    public string DataDir { get; }
    public GhidraOptions Options { get; }
    public HttpClient Client { get; }

    /// <param name="configure">Changes to the default options.</param>
    /// <param name="dataDir">The data folder to use (default: a folder of its own, deleted with the region).</param>
    /// <param name="logs">Where the region's log goes besides nowhere (default: Warning and above are dropped with the rest).</param>
    public static async Task<TestRegion> StartAsync(Func<GhidraOptions, GhidraOptions>? configure = null, string? dataDir = null, CapturedLogs? logs = null)
    {
        var own = dataDir is null ? new TempFolder("ghidrainsight-region-") : null;
        dataDir ??= own!.Path;
        var options = new GhidraOptions
        {
            Server = new ServerOptions { Host = "127.0.0.1", Port = 0 },
            Storage = new StorageOptions { DataDir = dataDir },
            Region = new RegionOptions { CurrentRegion = "test-1" },
        };
        options = configure?.Invoke(options) ?? options;
        try
        {
            var host = await RegionHost.StartAsync(options, logging =>
            {
                logging.SetMinimumLevel(logs is null ? LogLevel.Warning : LogLevel.Information);
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                }
            });
            return new TestRegion(host, dataDir, options) { _ownFolder = own };
        }
        catch
        {
            own?.Dispose();
            throw;
        }
    }

    /// <summary>A client that sends <paramref name="apiKey"/> as <c>X-API-Key</c>.</summary>
    public HttpClient ClientWithKey(string apiKey)
    {
        var client = new HttpClient { BaseAddress = Host.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        return client;
    }

    public static ByteArrayContent Binary(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    /// <summary>The data folder this region made for itself (none when the test gave one), deleted with it.</summary>
    private TempFolder? _ownFolder;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        _ownFolder?.Dispose();
    }
}
