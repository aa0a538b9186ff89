using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Hosting;
using GhidraInsight.Storage;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Bench;

/// <summary>
/// Throughput and p99 of <c>GET /api/analyses/{id}</c> (a stored result) against <c>GET /health/live</c> (trivial) on
/// the same server in the same run, driven by wrk. Target: the stored read reaches at least half the trivial one.
/// </summary>
internal static class StoredReadVersusLive
{
    public static async Task<int> RunAsync(string? file, int seconds)
    {
        if (!await Wrk.AvailableAsync())
        {
            return 1;
        }
        var data = Directory.CreateTempSubdirectory("ghidrainsight-bench-").FullName;
        var options = new GhidraOptions
        {
            Server = new ServerOptions { Host = "127.0.0.1", Port = 0, RateLimitPerMinute = 0 },
            Storage = new StorageOptions { DataDir = data },
        };
        await using var host = await RegionHost.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        using var client = new HttpClient { BaseAddress = host.Address };
        var bytes = await File.ReadAllBytesAsync(file ?? "/usr/bin/ls");
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var upload = await client.PostAsync("api/analyze", content);
        var body = await upload.Content.ReadAsStringAsync();
        var id = (string)JsonNode.Parse(body)!["analysis_id"]!;
        Console.WriteLine($"server {host.Address}; stored analysis of {file ?? "/usr/bin/ls"}: {body.Length / 1024} KiB of JSON");

        var stored = await Wrk.RunAsync(new Uri(host.Address, $"api/analyses/{id}"), seconds);
        var gzip = await Wrk.RunAsync(new Uri(host.Address, $"api/analyses/{id}"), seconds, "Accept-Encoding: gzip");
        var live = await Wrk.RunAsync(new Uri(host.Address, "health/live"), seconds);
        Console.WriteLine($"GET /api/analyses/{{id}}   {stored.RequestsPerSecond,10:F0} req/s   p99 {stored.P99Ms,8:F2} ms");
        Console.WriteLine($"  same, gzip accepted     {gzip.RequestsPerSecond,10:F0} req/s   p99 {gzip.P99Ms,8:F2} ms");
        Console.WriteLine($"GET /health/live          {live.RequestsPerSecond,10:F0} req/s   p99 {live.P99Ms,8:F2} ms");
        Console.WriteLine($"ratio stored/live throughput {stored.RequestsPerSecond / live.RequestsPerSecond:F3}   (target >= 0.5)");
        Console.WriteLine($"ratio stored(gzip)/live     {gzip.RequestsPerSecond / live.RequestsPerSecond:F3}");
        return 0;
    }
}
