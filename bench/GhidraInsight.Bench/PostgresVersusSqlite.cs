using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Hosting;
using GhidraInsight.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace GhidraInsight.Bench;

/// <summary>
/// One region on SQLite against the same region on PostgreSQL (a local server made with initdb/pg_ctl, fsync on, as SQLite's
/// synchronous=FULL), over real HTTP on loopback, in one run: uploads of distinct binaries (8 clients), annotation writes
/// (8 clients), and reads that reach the store each time (the analyses list, an annotation: wrk). Prints postgres/sqlite.
/// </summary>
internal static class PostgresVersusSqlite
{
    private const int Clients = 8;

    public static async Task<int> RunAsync(string? file, int seconds)
    {
        if (!await Wrk.AvailableAsync())
        {
            return 1;
        }

        var sample = await File.ReadAllBytesAsync(file ?? "/usr/bin/true");
        using var postgres = PostgresServer.StartPrivate(durable: true);
        postgres.EnsureDatabase("ghidrainsight_bench");
        var modes = new (string Name, Func<StorageOptions, StorageOptions> Storage)[]
        {
            ("sqlite", s => s),
            ("postgres", s => s with
            {
                Provider = "postgres", ConnectionString = postgres.ConnectionString("ghidrainsight_bench"), Password = postgres.Password,
            }),
        };
        Console.WriteLine($"one region, {file ?? "/usr/bin/true"} ({sample.Length / 1024} KiB) made distinct per upload; {Clients} clients, {seconds} s per run; 2 shared cores");
        var results = new Dictionary<string, (double Uploads, double Annotations, WrkResult List, WrkResult Annotation)>();
        foreach (var (name, storage) in modes)
        {
            var data = Directory.CreateTempSubdirectory("ghidrainsight-pg-bench-").FullName;
            var options = new GhidraOptions
            {
                Server = new ServerOptions { Host = "127.0.0.1", Port = 0, RateLimitPerMinute = 0, AnalysisQueueLimit = 64 },
                Storage = storage(new StorageOptions { DataDir = data }),
            };
            await using var host = await RegionHost.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
            using var client = new HttpClient { BaseAddress = host.Address };
            var (uploads, id) = await UploadsPerSecondAsync(client, sample, name, seconds);
            var annotations = await AnnotationsPerSecondAsync(client, id, seconds);
            var list = await Wrk.RunAsync(new Uri(host.Address, "api/analyses?limit=20"), seconds);
            var annotation = await Wrk.RunAsync(new Uri(host.Address, $"api/analyses/{id}/annotations/0x1000"), seconds);
            results[name] = (uploads, annotations, list, annotation);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-8}  uploads {uploads,7:F0}/s   annotation writes {annotations,7:F0}/s   list reads {list.RequestsPerSecond,7:F0}/s (p99 {list.P99Ms:F2} ms)   annotation reads {annotation.RequestsPerSecond,7:F0}/s (p99 {annotation.P99Ms:F2} ms)"));
            Directory.Delete(data, recursive: true);
        }

        var (s, p) = (results["sqlite"], results["postgres"]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"postgres / sqlite: uploads {p.Uploads / s.Uploads:F2}x, annotation writes {p.Annotations / s.Annotations:F2}x, list reads {p.List.RequestsPerSecond / s.List.RequestsPerSecond:F2}x, annotation reads {p.Annotation.RequestsPerSecond / s.Annotation.RequestsPerSecond:F2}x"));
        return 0;
    }

    /// <summary>Distinct uploads (the sample with a counter appended), acknowledged per second; and one id to annotate.</summary>
    private static async Task<(double PerSecond, string Id)> UploadsPerSecondAsync(HttpClient client, byte[] sample, string salt, int seconds)
    {
        var done = 0L;
        string? id = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(seconds); i++)
            {
                var bytes = new byte[sample.Length + 32];
                sample.CopyTo(bytes, 0);
                System.Text.Encoding.ASCII.GetBytes($"{salt}-{c}-{i}".PadRight(32)).CopyTo(bytes, sample.Length);
                using var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using var response = await client.PostAsync("api/analyze", content);
                response.EnsureSuccessStatusCode();
                id ??= (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["analysis_id"];
                Interlocked.Increment(ref done);
            }
        })));
        return (done / clock.Elapsed.TotalSeconds, id!);
    }

    private static async Task<double> AnnotationsPerSecondAsync(HttpClient client, string id, int seconds)
    {
        var done = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(seconds); i++)
            {
                using var response = await client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x{0x1000 + (c * 16):x}", new { name = $"f{c}_{i}" });
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref done);
            }
        })));
        return done / clock.Elapsed.TotalSeconds;
    }
}
