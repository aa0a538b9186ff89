using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GhidraInsight.Bench;

/// <summary>
/// Throughput and p99 of <c>GET /api/analyses/{id}</c> in one run, three ways, all real processes on loopback: directly against a
/// region, through <c>ghidrainsight gateway</c> (pinned to that region with <c>X-Client-Region</c>), and through Debian's nginx
/// (<c>proxy_pass</c> with upstream keepalive) in front of the same region. Prints gateway/nginx (target ≥ 0.9× throughput at no
/// worse p99) and both against direct. A fourth way, the least a YARP proxy can be (<see cref="YarpReference"/>), separates what the
/// gateway adds from what the platform costs; each proxy's CPU time per request is printed beside its figures. Then kills a region under load through the gateway, twice (a replica, then the primary),
/// and counts the failed requests (target: none) and the added latency.
/// </summary>
internal static partial class GatewayVersusNginx
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    public static async Task<int> RunAsync(string? file, int seconds)
    {
        if (!await Wrk.AvailableAsync())
        {
            return 1;
        }
        if (!File.Exists("/usr/sbin/nginx"))
        {
            await Console.Error.WriteLineAsync("bench: nginx is needed (apt-get install nginx-light)");
            return 1;
        }

        var data = Directory.CreateTempSubdirectory("ghidrainsight-gateway-bench-").FullName;
        var port = ReplicationLag.FreePortBlock(Regions.Length + 3);
        var gatewayPort = port + Regions.Length;
        var nginxPort = gatewayPort + 1;
        var yarpPort = gatewayPort + 2;
        // `up` writes every config (the gateway's too); the regions and the gateway then run as our own processes, so one region can
        // be killed while the rest go on.
        using (var up = ReplicationLag.StartUp(data, port))
        {
            await ReplicationLag.WaitReadyAsync(up);
            up.Kill(entireProcessTree: true);
            await up.WaitForExitAsync();
        }

        var processes = Regions.ToDictionary(r => r, r => FailoverTime.StartRegion(data, r));
        Process? gateway = null;
        Process? nginx = null;
        Process? yarp = null;
        try
        {
            gateway = await StartGatewayAsync(data);
            var direct = new Uri($"http://127.0.0.1:{port}/");
            var through = new Uri($"http://127.0.0.1:{gatewayPort}/");
            using var client = new HttpClient { BaseAddress = through };
            await WaitServingAsync(client, Regions.Length);
            // /usr/bin/true: its stored analysis is about 64 KB of JSON.
            var path = file ?? "/usr/bin/true";
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var upload = await client.PostAsync("api/analyze", content);
            var body = await upload.Content.ReadAsStringAsync();
            upload.EnsureSuccessStatusCode();
            var id = (string)JsonNode.Parse(body)!["analysis_id"]!;
            await WaitEverywhereAsync(port, id);
            nginx = await StartNginxAsync(data, nginxPort, port);
            var nginxUri = new Uri($"http://127.0.0.1:{nginxPort}/");
            yarp = await StartYarpReferenceAsync(yarpPort, direct);
            var yarpUri = new Uri($"http://127.0.0.1:{yarpPort}/");

            var read = $"api/analyses/{id}";
            var pin = "X-Client-Region: us-east-1";
            Console.WriteLine($"GET /{read[..24]}…: {body.Length / 1024} KiB of JSON ({path}); wrk -t2 -c32, {seconds} s per run; 2 shared cores");
            var ways = new (string Name, Uri Url, Func<IEnumerable<int>> Proxy)[]
            {
                ("direct to us-east-1", direct, () => []),
                ("gateway", through, () => [gateway.Id]),
                ("nginx (keepalive)", nginxUri, () => ProcessCpu.WithChildren(nginx.Id)),
                ("bare YARP", yarpUri, () => [yarp.Id]),
            };
            var region = processes["us-east-1"].Id;
            // The first seconds of a fresh gateway (the JIT still at work), then every way warmed as a running service is.
            var cold = await Wrk.RunAsync(new Uri(through, read), 5, pin);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  gateway, its first 5 s  {cold.RequestsPerSecond,9:F0} req/s   p99 {cold.P99Ms,7:F2} ms"));
            foreach (var (_, url, _) in ways)
            {
                await Wrk.RunAsync(new Uri(url, read), 10, pin);
            }
            // Two rounds in turn, so neither proxy always runs on a machine warmed by the other. CPU time of the region and of the
            // proxy's processes per request, from /proc.
            var results = ways.ToDictionary(w => w.Name, _ => new List<(WrkResult Wrk, double RegionUs, double ProxyUs)>());
            for (var round = 0; round < 2; round++)
            {
                foreach (var (name, url, proxy) in ways)
                {
                    var pids = proxy().ToArray();
                    var (regionBefore, proxyBefore) = (ProcessCpu.Seconds([region]), ProcessCpu.Seconds(pids));
                    var run = await Wrk.RunAsync(new Uri(url, read), seconds, pin);
                    results[name].Add((run, (ProcessCpu.Seconds([region]) - regionBefore) * 1e6 / run.Requests, (ProcessCpu.Seconds(pids) - proxyBefore) * 1e6 / run.Requests));
                }
            }
            var mean = results.ToDictionary(r => r.Key, r => (Rps: r.Value.Average(x => x.Wrk.RequestsPerSecond), P99: r.Value.Average(x => x.Wrk.P99Ms),
                Failed: r.Value.Sum(x => x.Wrk.Failed), RegionUs: r.Value.Average(x => x.RegionUs), ProxyUs: r.Value.Average(x => x.ProxyUs)));
            foreach (var (name, (rps, p99, failed, regionUs, proxyUs)) in mean)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name,-22} {rps,9:F0} req/s   p99 {p99,7:F2} ms   failed {failed}   CPU per request: region {regionUs,4:F0} µs, proxy {proxyUs,4:F0} µs"));
            }
            var (gw, ng, di, bare) = (mean["gateway"], mean["nginx (keepalive)"], mean["direct to us-east-1"], mean["bare YARP"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gateway / nginx: throughput {gw.Rps / ng.Rps:F2}× (target ≥ 0.90), p99 {gw.P99 / ng.P99:F2}× (target ≤ 1.00)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"against direct:  gateway {gw.Rps / di.Rps:F2}×, nginx {ng.Rps / di.Rps:F2}× throughput; p99 gateway {gw.P99 / di.P99:F2}×, nginx {ng.P99 / di.P99:F2}×"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bare YARP:       / nginx {bare.Rps / ng.Rps:F2}× throughput, p99 {bare.P99 / ng.P99:F2}×; gateway / bare YARP {gw.Rps / bare.Rps:F2}× throughput, p99 {gw.P99 / bare.P99:F2}×"));

            // Kills under load: pinned to the region that dies, so requests are in flight at that region when it does.
            foreach (var victim in new[] { "eu-west-1", "us-east-1" })
            {
                var hint = $"X-Client-Region: {victim}";
                var baseline = await Wrk.RunAsync(new Uri(through, read), seconds, hint);
                var before = await RerouteAsync(client);
                var load = Wrk.RunAsync(new Uri(through, read), seconds, hint);
                await Task.Delay(TimeSpan.FromSeconds(seconds / 3.0));
                processes[victim].Kill();
                var killed = await load;
                var after = await RerouteAsync(client);
                var rerouted = after.Count - before.Count;
                var role = victim == "us-east-1" ? "the primary" : "a replica";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{victim} ({role}) SIGKILLed {seconds / 3.0:F1} s into {seconds} s of load through the gateway: {killed.Requests} requests, failed {killed.Failed} "
                    + $"(non-2xx {killed.Non2xx}, socket errors {killed.SocketErrors}; target 0)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  p99 {killed.P99Ms:F2} ms (without a kill {baseline.P99Ms:F2} ms, {killed.P99Ms / baseline.P99Ms:F2}×), max {killed.MaxMs:F1} ms (without {baseline.MaxMs:F1} ms); "
                    + $"{rerouted} requests rerouted, {(rerouted > 0 ? (after.Sum - before.Sum) / rerouted * 1000 : 0):F1} ms added each on average"));
                processes[victim].Dispose();
                processes[victim] = FailoverTime.StartRegion(data, victim);
                await WaitServingAsync(client, Regions.Length);
            }
            return 0;
        }
        finally
        {
            if (nginx is { HasExited: false })
            {
                // SIGTERM: the master stops its workers (SIGKILL would leave them running).
                using var term = Process.Start("kill", ["-TERM", nginx.Id.ToString(CultureInfo.InvariantCulture)]);
                await term.WaitForExitAsync();
                await nginx.WaitForExitAsync();
            }
            foreach (var process in processes.Values.Append(gateway).Append(nginx).Append(yarp).OfType<Process>())
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
                process.Dispose();
            }
        }
    }

    private static async Task<Process> StartGatewayAsync(string data)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ghidrainsight.dll");
        var psi = new ProcessStartInfo("dotnet", [cli, "gateway", "--config", Path.Combine(data, "gateway", "config.yaml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        process.BeginErrorReadLine();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("gateway listening on ", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return process;
            }
        }
        throw new InvalidOperationException("the gateway did not start");
    }

    /// <summary>The bare YARP proxy, this benchmark run again as its own process (<c>yarp-reference PORT URL</c>).</summary>
    private static async Task<Process> StartYarpReferenceAsync(int port, Uri destination)
    {
        var bench = Path.Combine(AppContext.BaseDirectory, "GhidraInsight.Bench.dll");
        var psi = new ProcessStartInfo("dotnet", [bench, "yarp-reference", port.ToString(CultureInfo.InvariantCulture), destination.AbsoluteUri])
        {
            RedirectStandardOutput = true,
        };
        var process = Process.Start(psi)!;
        if (await process.StandardOutput.ReadLineAsync() != "listening")
        {
            throw new InvalidOperationException("the bare YARP proxy did not start");
        }
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        return process;
    }

    /// <summary>nginx in the foreground, its prefix in the bench's folder, one upstream with 64 idle keep-alive connections.</summary>
    private static async Task<Process> StartNginxAsync(string data, int listen, int region)
    {
        var prefix = Path.Combine(data, "nginx");
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            master_process on;
            worker_processes auto;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/logs/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{prefix}}/client_body;
              proxy_temp_path {{prefix}}/proxy;
              fastcgi_temp_path {{prefix}}/fastcgi;
              uwsgi_temp_path {{prefix}}/uwsgi;
              scgi_temp_path {{prefix}}/scgi;
              upstream region { server 127.0.0.1:{{region}}; keepalive 64; }
              server {
                listen 127.0.0.1:{{listen}};
                location / {
                  proxy_pass http://region;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  # Room for a whole stored analysis in memory: nothing spills to a temp file.
                  proxy_buffer_size 16k;
                  proxy_buffers 64 16k;
                  proxy_busy_buffers_size 64k;
                }
              }
            }
            """));
        var process = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-p", prefix, "-c", config]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{listen}/") };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var response = await client.GetAsync("health/live");
                if (response.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("nginx did not start; see " + Path.Combine(prefix, "logs", "error.log"));
    }

    private static async Task WaitServingAsync(HttpClient gateway, int regions)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                var health = JsonNode.Parse(await gateway.GetStringAsync("health"))!;
                if (health["serving"]!.AsArray().Count == regions && health["primary"] is not null)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the gateway never saw every region serving");
    }

    private static async Task WaitEverywhereAsync(int firstPort, string id)
    {
        for (var r = 0; r < Regions.Length; r++)
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{firstPort + r}/") };
            while (!(await client.GetAsync($"api/analyses/{id}")).IsSuccessStatusCode)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>The gateway's reroute histogram: how many requests were sent on to another region, and their total added time.</summary>
    private static async Task<(long Count, double Sum)> RerouteAsync(HttpClient gateway)
    {
        var text = await gateway.GetStringAsync("metrics");
        return ((long)Value(text, "ghidrainsight_gateway_reroute_seconds_count"), Value(text, "ghidrainsight_gateway_reroute_seconds_sum"));
    }

    private static double Value(string text, string name) =>
        double.Parse(Regex.Match(text, $"^{name} (\\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
}
