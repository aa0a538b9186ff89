using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GhidraInsight.Configuration;

namespace GhidraInsight.Cluster.Tests.Support;

/// <summary>
/// A real <c>ghidrainsight gateway --config</c> process in front of a <see cref="TestCluster"/>: its config is the first region's
/// file (the regions' endpoints as the regions reach each other: through the proxies in a proxied cluster) with a fast
/// <c>gateway:</c> section on a free port.
/// </summary>
internal sealed partial class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _log;

    private GatewayProcess(Process process, List<string> log, Uri address)
    {
        _process = process;
        _log = log;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }
    public HttpClient Client { get; }
    public int ProbeIntervalMs { get; private init; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public static async Task<GatewayProcess> StartAsync(TestCluster cluster, int probeIntervalMs = 300, int successThreshold = 2, int retryBudget = 2)
    {
        var template = ConfigLoader.Load(new ConfigSources(cluster.DataNodes.First().ConfigPath, new Dictionary<string, string>(), new Dictionary<string, string>()));
        var folder = Path.Combine(cluster.DataDir, "gateway");
        Directory.CreateDirectory(folder);
        var options = template with
        {
            Storage = template.Storage with { DataDir = folder },
            Gateway = new GatewayOptions { Port = FreePorts.ConsecutiveBlock(1), ProbeIntervalMs = probeIntervalMs, SuccessThreshold = successThreshold, RetryBudget = retryBudget },
        };
        var config = Path.Combine(folder, "config.yaml");
        await File.WriteAllTextAsync(config, ConfigWriter.ToYaml(options));

        var process = CliStart.Start("gateway", "--config", config);
        var log = new List<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.Add(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (Listening().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return new GatewayProcess(process, log, new Uri(match.Groups["url"].Value)) { ProbeIntervalMs = probeIntervalMs };
            }
        }
        process.Kill();
        lock (log)
        {
            throw new InvalidOperationException("the gateway did not start: " + string.Join('\n', log));
        }
    }

    /// <summary>The gateway's <c>/api/regions</c> entry of <paramref name="region"/>.</summary>
    public async Task<JsonObject> RegionAsync(string region) =>
        (JsonNode.Parse(await Client.GetStringAsync("api/regions"))![region] as JsonObject)!;

    /// <summary>Waits until the gateway has <paramref name="region"/> in rotation (or out of it, with <paramref name="healthy"/> false).</summary>
    public Task<bool> WaitForAsync(string region, bool healthy, TimeSpan timeout) =>
        TestCluster.EventuallyAsync(async () => (bool)(await RegionAsync(region))["healthy"]! == healthy, timeout);

    /// <summary>Waits until the gateway names <paramref name="primary"/> as primary.</summary>
    public Task<bool> WaitForPrimaryAsync(string primary, TimeSpan timeout) =>
        TestCluster.EventuallyAsync(async () => (string?)JsonNode.Parse(await Client.GetStringAsync("health"))!["primary"] == primary, timeout);

    public string Metrics() => Client.GetStringAsync("metrics").GetAwaiter().GetResult();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"gateway at {Address} (pid {_process.Id})");

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        Client.Dispose();
    }

    [GeneratedRegex(@"gateway listening on (?<url>\S+)")]
    private static partial Regex Listening();
}
