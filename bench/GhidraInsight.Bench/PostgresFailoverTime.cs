using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace GhidraInsight.Bench;

/// <summary>
/// Failover on PostgreSQL, as a user meets it: <c>ghidrainsight up --storage postgres</c> (three regions, Patroni over etcd),
/// strong writes through the gateway. Each round SIGKILLs the primary database's Patroni and PostgreSQL and times until the next
/// strong write is acknowledged; then waits for the old primary to come back as a replica. Then times switchovers
/// (<c>POST /api/failover</c>, to the synchronous standby) until the target accepts strong writes. Prints the median and the
/// max next to Patroni's own floor (ttl + loop_wait) and the target (ttl + 2 × loop_wait; switchover ≤ 3 s).
/// </summary>
internal static class PostgresFailoverTime
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];
    private const int Ttl = 10;
    private const int LoopWait = 1;

    public static async Task<int> RunAsync(int rounds, int switchovers)
    {
        var data = Directory.CreateTempSubdirectory("ghidrainsight-pg-failover-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        }

        var port = ReplicationLag.FreePortBlock(Regions.Length + 1, 100, 200, 300, 400);
        using var up = ReplicationLag.StartUp(data, port, ["--storage", "postgres"]);
        using var gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + 3}/"), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            await ReplicationLag.WaitReadyAsync(up);
            await UntilAsync(async () => (await gateway.GetAsync("health")).IsSuccessStatusCode, TimeSpan.FromSeconds(60));
            using var binary = new ByteArrayContent(await File.ReadAllBytesAsync("/usr/bin/true"));
            binary.Headers.ContentType = new("application/octet-stream");
            var id = (string)JsonNode.Parse(await (await gateway.PostAsync("api/analyze", binary)).Content.ReadAsStringAsync())!["analysis_id"]!;
            var writes = 0;
            async Task<bool> WriteAsync()
            {
                var sent = Trace?.Elapsed.TotalMilliseconds;
                using var response = await gateway.PutAsJsonAsync($"api/analyses/{id}/annotations/0x{0x1000 + writes++:x}", new { name = "w" });
                if (sent is not null && Environment.GetEnvironmentVariable("BENCH_TRACE") is not null)
                {
                    Console.WriteLine($"    {sent,7:F0} +{Trace!.Elapsed.TotalMilliseconds - sent,5:F0} {(int)response.StatusCode} {string.Join(',', response.Headers.TryGetValues("X-Ghidra-Served-By", out var by) ? by : [])} {(response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync())}");
                }
                return response.IsSuccessStatusCode;
            }

            await UntilAsync(WriteAsync, TimeSpan.FromSeconds(60));
            var failovers = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                var primary = await PrimaryAsync(gateway);
                var index = Array.IndexOf(Regions, primary);
                using var watching = new CancellationTokenSource();
                var killedAt = DateTime.Now;
                KillDatabase(up, data, primary);
                var clock = Stopwatch.StartNew();
                Trace = clock;
                var stages = WatchStagesAsync(port, gateway, primary, clock, watching.Token);
                await UntilAsync(WriteAsync, TimeSpan.FromSeconds(120), pause: TimeSpan.FromMilliseconds(50));
                failovers.Add(clock.Elapsed.TotalMilliseconds);
                await watching.CancelAsync();
                var (regionAccepting, gatewayKnew) = await stages;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round,2}: {primary} killed; a strong write acknowledged after {clock.Elapsed.TotalMilliseconds,7:F0} ms"
                    + $" (Patroni promoted at {Stage(PromotedAfter(data, killedAt))}, the new primary region accepting at {Stage(regionAccepting)}, the gateway's /health naming it at {Stage(gatewayKnew)})"));
                // up starts the dead Patroni again once its leader key has expired; it comes back as a replica.
                using var region = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + index}/") };
                await UntilAsync(async () => (string?)JsonNode.Parse(await (await region.GetAsync("health")).Content.ReadAsStringAsync())!["role"] == "replica"
                    && (await region.GetAsync("health")).IsSuccessStatusCode, TimeSpan.FromSeconds(120));
                await UntilAsync(async () => await SyncStandbyAsync(port) is not null, TimeSpan.FromSeconds(60));
            }

            var switches = new List<double>();
            for (var i = 0; i < switchovers; i++)
            {
                var target = await SyncStandbyAsync(port);
                var clock = Stopwatch.StartNew();
                using var response = await gateway.PostAsJsonAsync("api/failover", new { to = target });
                var answered = clock.Elapsed.TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Console.WriteLine($"  switchover to {target} refused: {await response.Content.ReadAsStringAsync()}");
                    continue;
                }

                switches.Add(answered);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  switchover to {target}: answered, accepting strong writes, after {answered,7:F0} ms"));
                await UntilAsync(async () => await SyncStandbyAsync(port) is not null, TimeSpan.FromSeconds(60));
            }

            failovers.Sort();
            switches.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"failover (SIGKILL of the primary's Patroni and PostgreSQL → first acknowledged strong write), {failovers.Count} rounds: "
                + $"median {Median(failovers):F0} ms, max {failovers.LastOrDefault():F0} ms; floor ttl + loop_wait = {(Ttl + LoopWait) * 1000} ms, "
                + $"target ≤ ttl + 2 × loop_wait = {(Ttl + (2 * LoopWait)) * 1000} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"switchover (failover --to the synchronous standby → answered), {switches.Count} times: median {Median(switches):F0} ms, max {switches.LastOrDefault():F0} ms (target ≤ 3000 ms)"));
            return 0;
        }
        finally
        {
            using var kill = Process.Start("kill", ["-TERM", up.Id.ToString(CultureInfo.InvariantCulture)]);
            await up.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static Stopwatch? Trace;

    private static string Stage(double? ms) => ms is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value:F0} ms") : "?";

    /// <summary>
    /// While a round runs, every 25 ms: when a region other than <paramref name="killed"/> first says it is the primary and accepts
    /// strong writes, and when the gateway's <c>/health</c> first names another primary (ms on <paramref name="clock"/>).
    /// </summary>
    private static async Task<(double? RegionAccepting, double? GatewayKnew)> WatchStagesAsync(int port, HttpClient gateway, string killed, Stopwatch clock,
        CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
        double? accepting = null, knew = null;
        while (!stop.IsCancellationRequested && (accepting is null || knew is null))
        {
            var polls = Regions.Select(async (region, i) =>
            {
                try
                {
                    var health = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port + i}/health", stop))!;
                    return region != killed && (string?)health["role"] == "primary" && (bool?)health["accepting_strong_writes"] == true;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    return false;
                }
            }).ToList();
            var gatewayPrimary = Task.Run(async () =>
            {
                try
                {
                    return (string?)JsonNode.Parse(await gateway.GetStringAsync("health", stop))!["primary"];
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    return killed;
                }
            }, CancellationToken.None);
            if (accepting is null && (await Task.WhenAll(polls)).Any(yes => yes))
            {
                accepting = clock.Elapsed.TotalMilliseconds;
            }
            if (knew is null && await gatewayPrimary is { } named && named != killed)
            {
                knew = clock.Elapsed.TotalMilliseconds;
            }
            try
            {
                await Task.Delay(25, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return (accepting, knew);
    }

    /// <summary>When, after <paramref name="killedAt"/>, a Patroni logged that it promoted itself (ms), from the members' logs.</summary>
    private static double? PromotedAfter(string data, DateTime killedAt)
    {
        var times = Regions.SelectMany(region =>
        {
            var log = Path.Combine(data, "postgres", $"{region}.patroni.log");
            return File.Exists(log) ? File.ReadLines(log) : [];
        })
            .Where(line => line.Contains("promoted self to leader", StringComparison.Ordinal) && line.Length > 23)
            .Select(line => DateTime.TryParseExact(line[..23], "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at) ? at : (DateTime?)null)
            .Where(at => at > killedAt)
            .ToList();
        return times.Count == 0 ? null : (times.Min()!.Value - killedAt).TotalMilliseconds;
    }

    private static async Task<string> PrimaryAsync(HttpClient gateway) => (string)JsonNode.Parse(await gateway.GetStringAsync("health"))!["primary"]!;

    /// <summary>Patroni's synchronous standby (the only allowed switchover target in synchronous mode), from any member's REST API.</summary>
    private static async Task<string?> SyncStandbyAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < Regions.Length; i++)
        {
            try
            {
                var members = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port + 200 + i}/cluster"))!["members"]!.AsArray();
                return members.Where(m => (string?)m!["role"] == "sync_standby" && (string?)m["state"] is "running" or "streaming").Select(m => (string?)m!["name"]).FirstOrDefault();
            }
            catch (HttpRequestException)
            {
            }
        }

        return null;
    }

    /// <summary>SIGKILL of the region's Patroni (a child of up) and its PostgreSQL (from its postmaster.pid).</summary>
    private static void KillDatabase(Process up, string data, string region)
    {
        var config = Path.Combine(data, "postgres", $"{region}.patroni.yml");
        var patroni = Directory.GetDirectories($"/proc/{up.Id}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(int.Parse)
            .First(pid => File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains(config, StringComparison.Ordinal));
        var postmaster = int.Parse(File.ReadLines(Path.Combine(data, "postgres", $"{region}.pg", "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        using var kill = Process.Start("kill", ["-KILL", patroni.ToString(CultureInfo.InvariantCulture), postmaster.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? pause = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(pause ?? TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"not within {timeout.TotalSeconds} s");
    }

    private static double Median(List<double> sorted) => sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
}
