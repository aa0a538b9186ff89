using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using GhidraInsight.Dashboard.Tests.Support;

namespace GhidraInsight.Bench;

/// <summary>
/// The dashboard as a user meets it: <c>ghidrainsight up</c>, then Debian's chromium with an empty profile (nothing cached)
/// for every load, timed from the navigation to the moment the view shows its data: the regions table with every region, an
/// analysis of <c>/usr/bin/ls</c> with its entropy chart and functions, and one function with its disassembly and call graph.
/// Each page is loaded through the gateway and, as the reference in the same run, from a region directly
/// (<c>/dashboard</c>); the ratio is what the gateway adds. Also prints what a cold load transfers, and the browser's floor
/// (a fresh profile showing the gateway's smallest answer).
/// </summary>
internal static class DashboardLoad
{
    public static async Task<int> RunAsync(string? file, int runs)
    {
        file ??= "/usr/bin/ls";
        var data = Directory.CreateTempSubdirectory("ghidrainsight-dashboard-bench-").FullName;
        var port = ReplicationLag.FreePortBlock(4);
        using var up = ReplicationLag.StartUp(data, port);
        try
        {
            await ReplicationLag.WaitReadyAsync(up);
            var gateway = $"http://127.0.0.1:{port + 3}/";
            var region = $"http://127.0.0.1:{port}/dashboard";
            using var http = new HttpClient();
            while (!(await TryGetAsync(http, gateway + "health")))
            {
                await Task.Delay(100);
            }

            using var upload = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            upload.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var analysis = JsonNode.Parse(await (await http.PostAsync(gateway + "api/analyze", upload)).Content.ReadAsStringAsync())!;
            var id = (string)analysis["analysis_id"]!;
            var function = (string)analysis["functions"]!.AsArray().OrderByDescending(f => f!["calls"]!.AsArray().Count).First()!["address"]!;

            var views = new (string Name, string Hash, string Ready)[]
            {
                ("regions", "#/regions", "return document.querySelectorAll('#regions-table tr[data-healthy=true]').length === 3"),
                ("analysis", $"#/analyses/{id}", "return !!document.querySelector('#entropy-chart canvas') && document.querySelectorAll('#functions-table tbody tr').length > 0"),
                ("function", $"#/analyses/{id}/functions/{function}", "return !!document.querySelector('#callgraph canvas') && document.getElementById('disassembly').textContent.length > 0"),
            };
            Console.WriteLine($"dashboard, cold loads ({runs} runs each, a new chromium profile per load), {file} ({new FileInfo(file).Length} bytes):");
            // The browser's own floor: a fresh profile showing the smallest answer the gateway has.
            var floor = Median([.. Enumerable.Range(0, runs).Select(_ => Load(gateway + "health/live", "return document.readyState === 'complete'").Ms)]);
            Console.WriteLine($"  floor     a fresh chromium showing /health/live {floor,7:F0} ms");
            foreach (var (name, hash, ready) in views)
            {
                var viaGateway = new List<double>();
                var direct = new List<double>();
                long bytes = 0;
                for (var run = 0; run < runs; run++)
                {
                    (var ms, bytes) = Load(gateway + hash, ready);
                    viaGateway.Add(ms);
                    direct.Add(Load(region + hash, ready).Ms);
                }

                var g = Median(viaGateway);
                var d = Median(direct);
                Console.WriteLine($"  {name,-9} through the gateway {g,7:F0} ms   from a region directly {d,7:F0} ms   ratio {g / d:F2}   transferred {bytes / 1024.0:F0} KiB");
            }

            return 0;
        }
        finally
        {
            if (!up.HasExited)
            {
                up.Kill(entireProcessTree: true);
                await up.WaitForExitAsync();
            }

            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>One load with an empty profile: milliseconds from navigation to <paramref name="ready"/>, and bytes transferred.</summary>
    private static (double Ms, long Bytes) Load(string url, string ready)
    {
        var profile = Directory.CreateTempSubdirectory("ghidrainsight-chromium-").FullName;
        try
        {
            using var driver = Chromium.Start(profile);
            var clock = Stopwatch.StartNew();
            driver.Navigate().GoToUrl(url);
            var js = (IJavaScriptExecutor)driver;
            while (!(js.ExecuteScript(ready) is true))
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException($"{url} did not show its data within a minute");
                }

                Thread.Sleep(5);
            }

            var ms = clock.Elapsed.TotalMilliseconds;
            var bytes = Convert.ToInt64(js.ExecuteScript(
                "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((n, e) => n + (e.transferSize || 0), 0)"),
                System.Globalization.CultureInfo.InvariantCulture);
            driver.Quit();
            return (ms, bytes);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static async Task<bool> TryGetAsync(HttpClient http, string url)
    {
        try
        {
            return (await http.GetAsync(url)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
