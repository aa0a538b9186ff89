using System.Net;
using GhidraInsight.Configuration;
using GhidraInsight.Gateway.Hosting;
using GhidraInsight.Gateway.Tests.Support;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Gateway.Tests;

/// <summary>The gateway's reloadable keys take their new values while it runs (a changed file, or SIGHUP's <c>Reload()</c>).</summary>
public sealed class ReloadTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ghidrainsight-gateway-reload-").FullName;
    private readonly List<ScriptedRegion> _regions = [];

    [Fact]
    public async Task RetryBudgetAndKeys_TakeNewValuesOnReload()
    {
        foreach (var name in new[] { "aa", "bb" })
        {
            var region = await ScriptedRegion.StartAsync(name, primary: "aa");
            _regions.Add(region);
        }
        _regions[0].Answer(503);
        var config = Path.Combine(_folder, "config.yaml");
        await File.WriteAllTextAsync(config, Yaml(retryBudget: 1, key: null));
        using var configuration = GhidraConfiguration.Load(new ConfigSources(config, new Dictionary<string, string>(), new Dictionary<string, string>()),
            watchConfigFile: false);
        await using var gateway = await GatewayHost.StartAsync(configuration, logging => logging.ClearProviders());
        // The hint keeps aa first whatever the latencies measured under a loaded machine.
        using var client = new HttpClient { BaseAddress = gateway.Address };
        client.DefaultRequestHeaders.Add("X-Client-Region", "aa");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/analyses/x")).StatusCode);

        await File.WriteAllTextAsync(config, Yaml(retryBudget: 0, key: "a-new-key-123456"));
        var result = configuration.Reload();

        Assert.Contains("gateway.retry_budget", result.AppliedKeys);
        // No retry any more: aa's 503 is relayed. And a key is needed now.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/analyses/x")).StatusCode);
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "api/analyses/x");
        keyed.Headers.Add("X-API-Key", "a-new-key-123456");
        using var refused = await client.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("aa", ForwardingTests.ServedBy(refused));
    }

    private string Yaml(int retryBudget, string? key)
    {
        var auth = key is null ? "" : $$"""
            auth:
              api_keys:
                - { name: reader, role: read, key: "{{key}}" }

            """;
        return auth + $"""
            gateway:
              port: 0
              probe_interval_ms: 60000
              retry_budget: {retryBudget}
            region:
              enabled: true
              current_region: aa
              regions: [aa, bb]
              endpoints:
                aa: {_regions[0].Endpoint}
                bb: {_regions[1].Endpoint}
              secret_file: {SecretFile()}

            """;
    }

    private string SecretFile()
    {
        var path = Path.Combine(_folder, "secret");
        File.WriteAllText(path, "0123456789abcdef0123456789abcdef\n");
        return path;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var region in _regions)
        {
            await region.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }
}
