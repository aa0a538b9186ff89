using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace GhidraInsight.Bench;

/// <summary>
/// Starts a 3-region <c>ghidrainsight up</c> cluster, writes annotations into the primary at a steady rate, and measures for
/// each write the time from its acknowledgement at the origin (just after commit) to the moment it is readable at each
/// other region (just after durable apply; polled, so the figure includes up to a millisecond or two of polling).
/// </summary>
internal static class ReplicationLag
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    /// <param name="postgres">
    /// Run <c>up --storage postgres</c> instead: PostgreSQL streams the writes to the other regions' standbys, and the lag is
    /// from the primary region's acknowledgement to the write being readable at another region (from its own standby).
    /// </param>
    public static async Task<int> RunAsync(int writesPerSecond, int seconds, bool postgres = false)
    {
        var data = Directory.CreateTempSubdirectory("ghidrainsight-lag-").FullName;
        var port = postgres ? FreePortBlock(Regions.Length + 1, 100, 200, 300, 400) : FreePortBlock(Regions.Length);
        if (postgres && !OperatingSystem.IsWindows())
        {
            // As root, PostgreSQL runs as the postgres user, who must reach the data folder.
            File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        }

        using var up = StartUp(data, port, postgres ? ["--storage", "postgres"] : []);
        try
        {
            await WaitReadyAsync(up);
            var all = Regions.Select((_, i) => new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + i}") }).ToArray();
            // Writes go into the primary (on PostgreSQL, whichever database Patroni made leader); the others are measured.
            var primary = (string)JsonNode.Parse(await all[0].GetStringAsync("health"))!["primary"]!;
            var order = Regions.Select((r, i) => (r, i)).OrderBy(p => p.r == primary ? 0 : 1).ToArray();
            var clients = order.Select(p => all[p.i]).ToArray();
            var names = order.Select(p => p.r).ToArray();
            var program = await File.ReadAllBytesAsync(Environment.ProcessPath!);
            using var upload = new ByteArrayContent(program);
            upload.Headers.ContentType = new("application/octet-stream");
            var id = (string)JsonNode.Parse(await (await clients[0].PostAsync("api/analyze", upload)).Content.ReadAsStringAsync())!["analysis_id"]!;
            foreach (var client in clients.Skip(1))
            {
                while (!(await client.GetAsync($"api/analyses/{id}")).IsSuccessStatusCode)
                {
                    await Task.Delay(10);
                }
            }

            var pending = names.Skip(1).ToDictionary(r => r, _ => new ConcurrentDictionary<ulong, long>());
            var lags = names.Skip(1).ToDictionary(r => r, _ => new ConcurrentBag<double>());
            using var stop = new CancellationTokenSource();
            var pollers = names.Skip(1).Select((region, i) => PollAsync(clients[i + 1], id, pending[region], lags[region], stop.Token)).ToList();

            var interval = Stopwatch.Frequency / writesPerSecond;
            var total = writesPerSecond * seconds;
            var start = Stopwatch.GetTimestamp();
            for (var n = 0; n < total; n++)
            {
                // Sleep to the next due time (no busy wait: the load generator must not starve the regions of CPU).
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + n * interval);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
                var address = 0x10000UL + (ulong)n;
                using var response = await clients[0].PutAsJsonAsync($"api/analyses/{id}/annotations/0x{address:x}", new { name = $"w{n}" });
                var acked = Stopwatch.GetTimestamp();
                if (response.IsSuccessStatusCode)
                {
                    foreach (var set in pending.Values)
                    {
                        set[address] = acked;
                    }
                }
            }
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            while (pending.Values.Any(p => !p.IsEmpty) && Stopwatch.GetElapsedTime(start).TotalSeconds < elapsed + 30)
            {
                await Task.Delay(20);
            }
            await stop.CancelAsync();
            await Task.WhenAll(pollers);

            Console.WriteLine($"{total} annotation writes into {names[0]} (the primary{(postgres ? ", PostgreSQL under Patroni, synchronous mode" : "")}) at {total / elapsed:F0}/s; "
                + "lag = origin acknowledgement → readable at the target");
            foreach (var (region, samples) in lags)
            {
                var sorted = samples.Order().ToArray();
                Console.WriteLine($"  → {region,-10} n={sorted.Length,5}  p50 {Percentile(sorted, 0.50),7:F1} ms  p99 {Percentile(sorted, 0.99),7:F1} ms  max {sorted.LastOrDefault(),7:F1} ms  (target p99 < {(postgres ? 100 : 50)} ms)");
            }
            return 0;
        }
        finally
        {
            using var kill = Process.Start("kill", ["-TERM", up.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await up.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// Replication applies one origin's writes in order, so seeing write n at the target means every earlier one is there
    /// too: probe the newest pending write, and when it is not there yet, the oldest.
    /// </summary>
    private static async Task PollAsync(HttpClient client, string id, ConcurrentDictionary<ulong, long> pending, ConcurrentBag<double> lags, CancellationToken stop)
    {
        var probeNewest = true;
        while (!stop.IsCancellationRequested)
        {
            // One probe per millisecond at most: enough resolution, little CPU taken from the regions.
            await Task.Delay(1, CancellationToken.None);
            if (pending.IsEmpty)
            {
                continue;
            }
            var keys = pending.Keys.Order().ToArray();
            var probe = probeNewest ? keys[^1] : keys[0];
            probeNewest = !probeNewest;
            using var response = await client.GetAsync($"api/analyses/{id}/annotations/0x{probe:x}", CancellationToken.None);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                continue;
            }
            var seen = Stopwatch.GetTimestamp();
            foreach (var key in keys.Where(k => k <= probe))
            {
                if (pending.TryRemove(key, out var acked))
                {
                    lags.Add(Stopwatch.GetElapsedTime(acked, seen).TotalMilliseconds);
                }
            }
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    internal static Process StartUp(string data, int port, string[]? extra = null)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ghidrainsight.dll");
        var psi = new ProcessStartInfo("dotnet", [cli, "up", "--data", data, "--region-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--port", (port + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra ?? []])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task WaitReadyAsync(Process up)
    {
        var ready = 0;
        while (ready < Regions.Length && await up.StandardOutput.ReadLineAsync() is { } line)
        {
            ready += line.Contains(" ready on ", StringComparison.Ordinal) ? 1 : 0;
        }
        _ = up.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        if (ready < Regions.Length)
        {
            throw new InvalidOperationException("the cluster did not start");
        }
    }

    /// <summary>A first port with <paramref name="count"/> free ports from it, and from it plus each of <paramref name="offsets"/>.</summary>
    internal static int FreePortBlock(int count, params int[] offsets)
    {
        // With offsets (up --storage postgres: a dozen processes and their connections), below Linux's ephemeral range so no
        // client connection takes a port meant for a server still to come.
        for (var first = offsets.Length > 0 ? 21000 : 41000; first < (offsets.Length > 0 ? 32000 - offsets.Max() : 59000); first += count)
        {
            if (offsets.Prepend(0).SelectMany(offset => Enumerable.Range(first + offset, count)).All(port =>
            {
                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }))
            {
                return first;
            }
        }
        throw new InvalidOperationException("no free ports");
    }
}
