using System.Diagnostics;
using System.Net;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// A running <c>serve</c> picks up the reloadable keys (API keys, rate limit, intervals, primary_region) from its config file —
/// on a change of the file, or on SIGHUP — refuses an invalid reload with one line per problem while it keeps serving, and
/// leaves keys that need a restart as they run.
/// </summary>
public sealed class ReloadTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ANewApiKeyInTheFile_WorksWithoutARestart_AndSighupAppliesANewRateLimit()
    {
        using var folder = new TempFolder("ghidrainsight-reload-");
        var config = Path.Combine(folder.Path, "config.yaml");
        await File.WriteAllTextAsync(config, Config(keys: ["reader:read:first-key"], rateLimit: 0));
        using var serve = ServeProcess.Start(null, "--config", config, "--port", "0");
        using var first = Client(serve, "first-key");
        using var second = Client(serve, "second-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("api/analyses")).StatusCode);

        await File.WriteAllTextAsync(config, Config(keys: ["reader:read:first-key", "other:read:second-key"], rateLimit: 0));

        Assert.True(await EventuallyAsync(async () => (await second.GetAsync("api/analyses")).StatusCode == HttpStatusCode.OK), serve.Stderr);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("api/analyses")).StatusCode);

        await File.WriteAllTextAsync(config, Config(keys: ["reader:read:first-key", "other:read:second-key"], rateLimit: 3));
        Hangup(serve);

        Assert.True(await EventuallyAsync(async () => (await first.GetAsync("api/analyses")).StatusCode == HttpStatusCode.TooManyRequests), serve.Stderr);

        // A SIGHUP with nothing new is answered too, so the operator knows it was heard.
        Hangup(serve);
        Assert.True(await EventuallyAsync(() => Task.FromResult(serve.Stderr.Contains("re-read on request (SIGHUP): nothing reloadable changed", StringComparison.Ordinal))),
            serve.Stderr);
    }

    [Fact]
    public async Task AnInvalidReload_IsRefusedWithOneLinePerProblem_AndTheRegionKeepsServingAsBefore()
    {
        using var folder = new TempFolder("ghidrainsight-reload-");
        var config = Path.Combine(folder.Path, "config.yaml");
        await File.WriteAllTextAsync(config, Config(keys: ["reader:read:first-key"], rateLimit: 0));
        using var serve = ServeProcess.Start(null, "--config", config, "--port", "0");
        using var client = Client(serve, "first-key");

        await File.WriteAllTextAsync(config, Config(keys: ["reader:read:first-key"], rateLimit: 0).Replace("health_check_interval: 5", "health_check_interval: -3", StringComparison.Ordinal)
            .Replace("rate_limit_per_minute: 0", "rate_limit_per_minute: lots", StringComparison.Ordinal));
        Hangup(serve);

        Assert.True(await EventuallyAsync(() => Task.FromResult(serve.Stderr.Contains("region.health_check_interval (GHIDRA_REGION__HEALTH_CHECK_INTERVAL) = '-3'", StringComparison.Ordinal))),
            serve.Stderr);
        Assert.Contains("server.rate_limit_per_minute (GHIDRA_SERVER__RATE_LIMIT_PER_MINUTE) = 'lots'", serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/analyses")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health")).StatusCode);
    }

    [Fact]
    public async Task AChangedKeyThatNeedsARestart_IsReported_AndKeepsItsRunningValue()
    {
        using var folder = new TempFolder("ghidrainsight-reload-");
        var config = Path.Combine(folder.Path, "config.yaml");
        await File.WriteAllTextAsync(config, Config(keys: [], rateLimit: 0));
        using var serve = ServeProcess.Start(null, "--config", config, "--port", "0");
        using var client = new HttpClient { BaseAddress = serve.Address };

        await File.WriteAllTextAsync(config, Config(keys: [], rateLimit: 0).Replace("max_upload_bytes: 1048576", "max_upload_bytes: 2048", StringComparison.Ordinal));
        Hangup(serve);

        Assert.True(await EventuallyAsync(() => Task.FromResult(serve.Stderr.Contains("server.max_upload_bytes changed; it takes effect at the next restart", StringComparison.Ordinal))),
            serve.Stderr);
        using var upload = await client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
    }

    private static string Config(string[] keys, int rateLimit) => $"""
        server:
          host: 127.0.0.1
          max_upload_bytes: 1048576
          rate_limit_per_minute: {rateLimit}
        storage:
          data_dir: ./data
        auth:
          api_keys:
        {string.Concat(keys.Select(k => k.Split(':')).Select(k => $"    - {{ name: {k[0]}, role: {k[1]}, key: {k[2]} }}\n"))}
        region:
          current_region: local
          health_check_interval: 5
        """;

    private static HttpClient Client(ServeProcess serve, string key)
    {
        var client = new HttpClient { BaseAddress = serve.Address };
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    private static void Hangup(ServeProcess serve)
    {
        using var kill = Process.Start("kill", ["-HUP", serve.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Soon;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return await condition();
    }
}
