using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using GhidraInsight.Server.Tests.Support;
using Microsoft.Data.Sqlite;

namespace GhidraInsight.Server.Tests;

/// <summary>The region as a user runs it: <c>ghidrainsight serve</c> in its own process.</summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task Serve_KilledWhileWriting_RestartsWithEveryAcknowledgedWrite_AndAConsistentDatabase()
    {
        using var folder = new TempFolder("ghidrainsight-crash-");
        var data = folder.Path;
        var acknowledgedAnalyses = new ConcurrentBag<string>();
        var acknowledgedAnnotations = new ConcurrentDictionary<ulong, long>();
        string baseId;
        using (var first = ServeProcess.Start(null, "--port", "0", "--data", data))
        {
            using var client = new HttpClient { BaseAddress = first.Address };
            baseId = (string)(await Json.ReadAsync(await client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf))))["analysis_id"]!;
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        if (i % 2 == 0)
                        {
                            var bytes = Samples.Variant(w * 100_000 + i);
                            using var response = await client.PostAsync("api/analyze", TestRegion.Binary(bytes));
                            if (response.IsSuccessStatusCode)
                            {
                                acknowledgedAnalyses.Add(Convert.ToHexStringLower(SHA256.HashData(bytes)));
                            }
                        }
                        else
                        {
                            var address = (ulong)(0x1000 + w * 100_000 + i);
                            using var response = await client.PutAsJsonAsync($"api/analyses/{baseId}/annotations/0x{address:x}", new { name = $"f{i}" });
                            if (response.IsSuccessStatusCode)
                            {
                                acknowledgedAnnotations[address] = (long)(await Json.ReadAsync(response))["version"]!;
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone
                    }
                }
            })).ToList();
            // Kill in the middle of the stream of writes, once a good number is acknowledged.
            while (acknowledgedAnalyses.Count + acknowledgedAnnotations.Count < 60)
            {
                await Task.Delay(10);
            }
            first.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        using var second = ServeProcess.Start(null, "--port", "0", "--data", data);
        using var reader = new HttpClient { BaseAddress = second.Address };
        foreach (var id in acknowledgedAnalyses)
        {
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"api/analyses/{id}")).StatusCode);
        }
        var annotations = (await Json.ReadAsync(await reader.GetAsync($"api/analyses/{baseId}/annotations")))["annotations"]!.AsArray()
            .ToDictionary(a => Convert.ToUInt64((string)a!["address"]!, 16), a => (long)a!["version"]!);
        foreach (var (address, version) in acknowledgedAnnotations)
        {
            Assert.True(annotations.TryGetValue(address, out var stored) && stored >= version, $"annotation at 0x{address:x} (version {version}) was lost");
        }
        Assert.True(acknowledgedAnalyses.Count + acknowledgedAnnotations.Count >= 60);

        // The database itself is consistent, and every stored row has its outbox entry.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "ghidrainsight.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        Assert.Equal("ok", await Scalar<string>(connection, "PRAGMA integrity_check"));
        Assert.Equal(await Scalar<long>(connection, "SELECT count(*) FROM analyses"), await Scalar<long>(connection, "SELECT count(*) FROM outbox WHERE kind = 'analysis.stored'"));
        second.Terminate();
    }

    [Fact]
    public void Serve_WithBadConfiguration_StopsWithOneLinePerProblem()
    {
        using var badConfig = new TempFolder("ghidrainsight-badconfig-");
        var folder = badConfig.Path;
        var config = Path.Combine(folder, "config.yaml");
        File.WriteAllText(config, "server:\n  port: 99999\nstorage:\n  cache_entries: -1\n");

        var (exit, stdout, stderr) = ServeProcess.Run(new Dictionary<string, string> { ["GHIDRA_SERVER__MAX_UPLOAD_BYTES"] = "lots" }, "serve", "--config", config);

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("server.port (GHIDRA_SERVER__PORT) = '99999'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("storage.cache_entries (GHIDRA_STORAGE__CACHE_ENTRIES) = '-1'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("server.max_upload_bytes (GHIDRA_SERVER__MAX_UPLOAD_BYTES) = 'lots'", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_OnAPortInUse_SaysSoInOneLine()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var data = new TempFolder("ghidrainsight-serve-");
        var (exit, _, stderr) = ServeProcess.Run(null, "serve", "--port", port, "--data", data.Path);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_OnAPublicAddressWithoutKeys_RefusesToStart()
    {
        using var data = new TempFolder("ghidrainsight-serve-");
        var (exit, _, stderr) = ServeProcess.Run(null, "serve", "--host", "0.0.0.0", "--port", "0", "--data", data.Path);
        Assert.Equal(2, exit);
        Assert.Contains("requires API keys", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnalyzeWithServer_UploadsAndPrintsTheServersAnalysis()
    {
        using var data = new TempFolder("ghidrainsight-serve-");
        using var upload = new TempFolder("ghidrainsight-upload-");
        using var serve = ServeProcess.Start(null, "--port", "0", "--data", data.Path);
        var file = Path.Combine(upload.Path, "my program+1.elf");
        await File.WriteAllBytesAsync(file, Samples.ProgramElf);

        var (exit, stdout, stderr) = ServeProcess.Run(null, "analyze", "--server", serve.Address.ToString(), "--json", file);

        Assert.True(exit == 0, stderr);
        var analysis = System.Text.Json.Nodes.JsonNode.Parse(stdout)!;
        Assert.Equal("local", (string?)analysis["region"]);
        // The file's name, never its folder.
        Assert.Equal("my program+1.elf", (string?)analysis["name"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Samples.ProgramElf)), (string?)analysis["analysis_id"]);

        var (down, _, downErr) = ServeProcess.Run(null, "analyze", "--server", "http://127.0.0.1:1", file);
        Assert.Equal(1, down);
        Assert.Contains("cannot reach", downErr, StringComparison.Ordinal);
        Assert.Single(downErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Serve_OnSigterm_StopsCleanly_AndKeepsItsData()
    {
        using var folder = new TempFolder("ghidrainsight-term-");
        var data = folder.Path;
        string id;
        using (var serve = ServeProcess.Start(null, "--port", "0", "--data", data))
        {
            using var client = new HttpClient { BaseAddress = serve.Address };
            id = (string)(await Json.ReadAsync(await client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf))))["analysis_id"]!;
            Assert.Equal(0, serve.Terminate());
        }
        using var again = ServeProcess.Start(null, "--port", "0", "--data", data);
        using var reader = new HttpClient { BaseAddress = again.Address };
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"api/analyses/{id}")).StatusCode);
    }

    [Fact]
    public async Task Serve_WithJsonLogs_WritesOneJsonObjectPerEvent_AndSaysALowDiskOnceWithItsEventId()
    {
        using var folder = new TempFolder("ghidrainsight-jsonlog-");
        // A reserve no disk has: the region is low on space from its first sample, without filling anything.
        var environment = new Dictionary<string, string> { ["GHIDRA_STORAGE__RESERVE_BYTES"] = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        string stderr;
        using (var serve = ServeProcess.Start(environment, "--port", "0", "--data", folder.Path, "--log-format", "json"))
        {
            using var client = new HttpClient { BaseAddress = serve.Address };
            using var refused = await client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));
            await Json.AssertProblemAsync(refused, 503, "STORAGE_FULL");
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            Assert.Equal(0, serve.Terminate());
            stderr = serve.Stderr;
        }

        // Log events are JSON; the command's own words ("ghidrainsight: region … stopped") stay plain lines of their own.
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.True(line.StartsWith('{') || line.StartsWith("ghidrainsight: ", StringComparison.Ordinal), line));
        var events = lines.Where(line => line.StartsWith('{')).Select(line => System.Text.Json.Nodes.JsonNode.Parse(line)!).ToList();
        var low = Assert.Single(events, e => (int?)e["EventId"] == 6 && (string?)e["Category"] == "GhidraInsight.Server.DiskSpace.DataFolderSpaceWatch");
        Assert.Equal("Warning", (string?)low["LogLevel"]);
        Assert.Equal(folder.Path, (string?)low["State"]!["Folder"]);
    }

    [Fact]
    public void ACertificateFileThatCannotBeUsed_StopsTheStartWithOneLineNamingIt()
    {
        using var folder = new TempFolder("ghidrainsight-badtls-");
        var certificate = Path.Combine(folder.Path, "region.crt");
        File.WriteAllText(certificate, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        var environment = new Dictionary<string, string>
        {
            ["GHIDRA_SERVER__TLS__CERT_FILE"] = certificate,
            ["GHIDRA_SERVER__TLS__KEY_FILE"] = Path.Combine(folder.Path, "missing.key"),
        };

        var (exit, _, stderr) = ServeProcess.Run(environment, "serve", "--port", "0", "--data", Path.Combine(folder.Path, "data"));

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("ghidrainsight:", StringComparison.Ordinal));
        Assert.Contains($"the TLS certificate {certificate}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainHttpBeyondLoopback_IsRefused_UnlessAllowed_AndThenWarnedAtStart()
    {
        using var folder = new TempFolder("ghidrainsight-insecure-");
        var environment = new Dictionary<string, string> { ["GHIDRA_AUTH__API_KEYS"] = "ops:admin:a-key-of-some-length" };

        var (exit, _, stderr) = ServeProcess.Run(environment, "serve", "--host", "0.0.0.0", "--port", "0", "--data", folder.Path);
        Assert.Equal(2, exit);
        Assert.Contains("listening beyond loopback needs TLS", stderr, StringComparison.Ordinal);

        environment["GHIDRA_SERVER__ALLOW_INSECURE_HTTP"] = "true";
        using var serve = ServeProcess.Start(environment, "--host", "0.0.0.0", "--port", "0", "--data", folder.Path);
        Assert.Equal(0, serve.Terminate());
        Assert.Contains("over plain HTTP (server.allow_insecure_http)", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ALogFormatThatDoesNotExist_IsAUsageError()
    {
        var (exit, _, stderr) = ServeProcess.Run(new Dictionary<string, string> { ["GHIDRA_LOG_FORMAT"] = "xml" }, "serve", "--port", "0");
        Assert.Equal(2, exit);
        Assert.Contains("GHIDRA_LOG_FORMAT must be text or json, not 'xml'", stderr, StringComparison.Ordinal);
        (exit, _, stderr) = ServeProcess.Run(null, "serve", "--log-format", "xml");
        Assert.Equal(2, exit);
        Assert.Contains("xml", stderr, StringComparison.Ordinal);
    }

    private static async Task<T> Scalar<T>(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
