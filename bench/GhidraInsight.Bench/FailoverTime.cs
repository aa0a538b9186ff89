using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Http.Contracts;

namespace GhidraInsight.Bench;

/// <summary>
/// Kills the primary of a 3-region cluster (default settings) with SIGKILL, again and again, and measures the time from the kill
/// to the first strong write acknowledged by the new primary, as a client sees it: a writer asks the surviving regions every
/// 10 ms. The killed region is restarted and caught up before the next round. The reference printed alongside is the nominal
/// time: failure_threshold check intervals plus the new primary's fence delay (the first failed check can come sooner).
/// </summary>
internal static class FailoverTime
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    public static async Task<int> RunAsync(int rounds)
    {
        var data = Directory.CreateTempSubdirectory("ghidrainsight-failover-").FullName;
        var port = ReplicationLag.FreePortBlock(Regions.Length);
        // `up` writes each region's config; the regions then run as our own processes so one can be killed and restarted.
        using (var up = ReplicationLag.StartUp(data, port))
        {
            await ReplicationLag.WaitReadyAsync(up);
            up.Kill(entireProcessTree: true);
            up.WaitForExit();
        }

        var clients = Regions.ToDictionary(r => r, r => new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + Array.IndexOf(Regions, r)}"), Timeout = TimeSpan.FromSeconds(1) });
        var processes = Regions.ToDictionary(r => r, r => StartRegion(data, r));
        var times = new List<double>();
        try
        {
            var primary = await WaitForPrimaryAsync(clients, exclude: null, TimeSpan.FromSeconds(60));
            var id = await UploadAsync(clients[primary]);
            for (var round = 1; round <= rounds; round++)
            {
                primary = await WaitForPrimaryAsync(clients, exclude: null, TimeSpan.FromSeconds(60));
                await WaitForAnalysisEverywhereAsync(clients, id);
                var survivors = Regions.Where(r => r != primary).ToArray();
                processes[primary].Kill();
                processes[primary].WaitForExit();
                var elapsed = await FirstAckAsync(clients, survivors, primary, id, round);
                times.Add(elapsed.TotalMilliseconds);
                Console.WriteLine($"round {round,2}: {primary} killed; first strong write acknowledged by the new primary after {elapsed.TotalMilliseconds:F0} ms");
                processes[primary].Dispose();
                processes[primary] = StartRegion(data, primary);
                await WaitForPrimaryAsync(clients, exclude: primary, TimeSpan.FromSeconds(60));
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
        finally
        {
            foreach (var process in processes.Values)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit();
                }
                process.Dispose();
            }
        }

        times.Sort();
        var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
        // Defaults: failure_threshold 2 × failover_check_interval_ms 250, and a fence delay of 650 ms.
        const double floorMs = 2 * 250 + 650;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"kill → first strong write at the new primary over {times.Count} rounds: median {median:F0} ms, max {times[^1]:F0} ms, min {times[0]:F0} ms (target: median ≤ 2000, max ≤ 5000)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio to the nominal time ({floorMs:F0} ms = 2 check intervals + fence delay): median {median / floorMs:F2}×, max {times[^1] / floorMs:F2}×"));
        return 0;
    }

    internal static Process StartRegion(string data, string region)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ghidrainsight.dll");
        var psi = new ProcessStartInfo("dotnet", [cli, "serve", "--config", Path.Combine(data, region, "config.yaml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> UploadAsync(HttpClient client)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(Environment.ProcessPath!));
        content.Headers.ContentType = new("application/octet-stream");
        using var response = await client.PostAsync("api/analyze", content);
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["analysis_id"]!;
    }

    private static async Task WaitForAnalysisEverywhereAsync(Dictionary<string, HttpClient> clients, string id)
    {
        foreach (var client in clients.Values)
        {
            while (!await SucceedsAsync(() => client.GetAsync($"api/analyses/{id}")))
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>Writes through the survivors every 10 ms until one is acknowledged by a region other than the killed one.</summary>
    private static async Task<TimeSpan> FirstAckAsync(Dictionary<string, HttpClient> clients, string[] survivors, string killed, string id, int round)
    {
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var client = clients[survivors[attempt % survivors.Length]];
            try
            {
                using var response = await client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x{0x1000 + round:x}", new { name = $"round{round}_{attempt}" });
                if (response.IsSuccessStatusCode && response.Headers.TryGetValues("X-Ghidra-Accepted-By", out var by) && by.Single() != killed)
                {
                    return Stopwatch.GetElapsedTime(started);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException("no new primary within 60 s");
            }
            await Task.Delay(10);
        }
    }

    private static async Task<string> WaitForPrimaryAsync(Dictionary<string, HttpClient> clients, string? exclude, TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            foreach (var (region, client) in clients)
            {
                try
                {
                    var health = await client.GetFromJsonAsync("health", ContractsJsonContext.Default.HealthReport);
                    if (health?.AcceptingStrongWrites == true)
                    {
                        // With `exclude`, also wait until that region is back and knows the current primary.
                        if (exclude is null || (await clients[exclude].GetFromJsonAsync("health", ContractsJsonContext.Default.HealthReport))?.Primary == region)
                        {
                            return region;
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                }
            }
            await Task.Delay(50);
        }
        throw new InvalidOperationException("no primary accepting strong writes");
    }

    private static async Task<bool> SucceedsAsync(Func<Task<HttpResponseMessage>> call)
    {
        try
        {
            using var response = await call();
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
