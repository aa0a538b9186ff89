using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Hosting;
using GhidraInsight.Storage;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Bench;

/// <summary>
/// Throughput and p99 of <c>GET /api/analyses/{id}</c> (a stored result) against <c>GET /health/live</c> (trivial) on
/// the same server in the same run, driven by wrk. Target: the stored read reaches at least half the trivial one.
/// </summary>
internal static partial class StoredReadVersusLive
{
    public static async Task<int> RunAsync(string? file, int seconds)
    {
        if (Process.Start(new ProcessStartInfo("sh", ["-c", "command -v wrk"]) { RedirectStandardOutput = true }) is { } probe)
        {
            await probe.WaitForExitAsync();
            if (probe.ExitCode != 0)
            {
                await Console.Error.WriteLineAsync("bench: wrk is needed (apt-get install wrk)");
                return 1;
            }
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

        var stored = Wrk(new Uri(host.Address, $"api/analyses/{id}"), seconds);
        var gzip = Wrk(new Uri(host.Address, $"api/analyses/{id}"), seconds, "Accept-Encoding: gzip");
        var live = Wrk(new Uri(host.Address, "health/live"), seconds);
        Console.WriteLine($"GET /api/analyses/{{id}}   {stored.RequestsPerSecond,10:F0} req/s   p99 {stored.P99Ms,8:F2} ms");
        Console.WriteLine($"  same, gzip accepted     {gzip.RequestsPerSecond,10:F0} req/s   p99 {gzip.P99Ms,8:F2} ms");
        Console.WriteLine($"GET /health/live          {live.RequestsPerSecond,10:F0} req/s   p99 {live.P99Ms,8:F2} ms");
        Console.WriteLine($"ratio stored/live throughput {stored.RequestsPerSecond / live.RequestsPerSecond:F3}   (target >= 0.5)");
        Console.WriteLine($"ratio stored(gzip)/live     {gzip.RequestsPerSecond / live.RequestsPerSecond:F3}");
        return 0;
    }

    private static (double RequestsPerSecond, double P99Ms) Wrk(Uri url, int seconds, string? header = null)
    {
        string[] headerArgs = header is null ? [] : ["-H", header];
        var psi = new ProcessStartInfo("wrk", ["-t2", "-c32", $"-d{seconds}s", "--latency", .. headerArgs, url.ToString()]) { RedirectStandardOutput = true };
        using var wrk = Process.Start(psi)!;
        var output = wrk.StandardOutput.ReadToEnd();
        wrk.WaitForExit();
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = P99().Match(output);
        var value = double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture);
        var ms = p99.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        return (rps, ms);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"99%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex P99();
}
