using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Cluster.Tests.Support;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// <c>ghidrainsight gateway</c> in front of real regions, all real processes: regions killed under load, a region slowed by the
/// proxy, client region hints, a region coming back. Zero failed idempotent requests is the bar.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class GatewayTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(30);
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    [Fact]
    public async Task ReadsAndUploads_NeverFail_WhileAReplicaServingThemIsKilled_AndTheHintIsIgnoredWhileItIsDown()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        // Probes far apart: the requests themselves must notice the dead region (passive detection) and be sent on.
        using var gateway = await GatewayProcess.StartAsync(cluster, probeIntervalMs: 10_000);
        var primary = await cluster.PrimaryAsync();
        var replica = cluster.DataNodes.First(n => n != primary);
        var id = await UploadEverywhereAsync(cluster, gateway);

        // Pinned to the replica by the hint, so the kill lands on requests in flight; plus unpinned reads and uploads.
        var pinned = RequestLoop.Start(gateway.Client, _ => Read(id, hint: replica.Name));
        var reads = RequestLoop.Start(gateway.Client, _ => Read(id), workers: 1);
        var uploads = RequestLoop.Start(gateway.Client, n => Upload(Samples.Variant(7000 + n)), workers: 1, pauseMs: 50);
        Assert.True(await pinned.WaitForAsync(o => o.ServedBy == replica.Name, Soon), "the hint was not honoured: " + string.Join('\n', pinned.Outcomes.TakeLast(5)));
        await Task.Delay(500);

        // Taken before the kill: Kill() returns once the process is gone, which a loaded machine takes a while to report.
        var killedAt = DateTime.UtcNow;
        replica.Kill();
        Assert.True(await pinned.WaitForAsync(o => o.Succeeded && o.ServedBy != replica.Name, TimeSpan.FromSeconds(5)), "not routed around without a probe");
        await Task.Delay(2000);
        await Task.WhenAll(pinned.StopAsync(), reads.StopAsync(), uploads.StopAsync());

        var all = pinned.Outcomes.Concat(reads.Outcomes).Concat(uploads.Outcomes).ToList();
        Assert.True(all.All(o => o.Succeeded), "failed through the gateway:\n" + string.Join('\n', all.Where(o => !o.Succeeded)) + "\n" + gateway.Log);
        Assert.Contains(uploads.Outcomes, o => o.SentAt > killedAt);

        var seen = await gateway.RegionAsync(replica.Name);
        Assert.False((bool)seen["healthy"]!);
        Assert.StartsWith("a request failed", (string?)seen["error"], StringComparison.Ordinal);
        var health = JsonNode.Parse(await gateway.Client.GetStringAsync("health"))!;
        Assert.Equal("healthy", (string?)health["status"]);
        Assert.DoesNotContain(replica.Name, health["serving"]!.AsArray().Select(r => (string?)r));

        var metrics = gateway.Metrics();
        // The kill hit requests in flight: the gateway saw the transport fail and sent them on.
        Assert.True(Sample(metrics, "ghidrainsight_gateway_attempts_total", $"region=\"{replica.Name}\",outcome=\"transport_error\"") >= 1, metrics);
        Assert.True(MetricsText.Sum(metrics, "ghidrainsight_gateway_retries_total") >= 1, metrics);
        Assert.True(Sample(metrics, "ghidrainsight_gateway_routing_decisions_total", $"decision=\"client_region\",region=\"{replica.Name}\"") >= 1, metrics);
        Assert.True(MetricsText.Sum(metrics, "ghidrainsight_gateway_reroute_seconds_count") >= 1, metrics);
        Assert.Equal(0, Sample(metrics, "ghidrainsight_gateway_region_healthy", $"region=\"{replica.Name}\""));
        var check = ExternalTool.RunWithInput("promtool", metrics, "check", "metrics");
        Assert.True(check.ExitCode == 0, check.Output);
    }

    [Fact]
    public async Task PrimaryKilled_ReadsAndUploadsNeverFail_StrongWritesFailOnlyWhileThereIsNoPrimary_ThenSucceedAtTheNewOne()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        using var gateway = await GatewayProcess.StartAsync(cluster);
        var primary = await cluster.PrimaryAsync();
        Assert.True(await gateway.WaitForPrimaryAsync(primary.Name, Soon));
        var id = await UploadEverywhereAsync(cluster, gateway);

        var reads = RequestLoop.Start(gateway.Client, _ => Read(id));
        var uploads = RequestLoop.Start(gateway.Client, n => Upload(Samples.Variant(8000 + n)), workers: 1, pauseMs: 50);
        var writes = RequestLoop.Start(gateway.Client, n => Annotate(id, n), workers: 1, pauseMs: 20);
        Assert.True(await writes.WaitForAsync(o => o.Succeeded && o.ServedBy == primary.Name, Soon));

        // Taken before the kill: Kill() returns once the process is gone, which a loaded machine takes a while to report.
        var killedAt = DateTime.UtcNow;
        primary.Kill();
        var successor = await cluster.PrimaryAsync(except: primary);
        var electedAt = DateTime.UtcNow;
        // Strong writes resume at the new primary, through the same gateway process.
        Assert.True(await writes.WaitForAsync(o => o.Succeeded && o.ServedBy == successor.Name, Soon), gateway.Log);
        await Task.Delay(1500);
        await Task.WhenAll(reads.StopAsync(), uploads.StopAsync(), writes.StopAsync());

        var idempotent = reads.Outcomes.Concat(uploads.Outcomes).ToList();
        Assert.True(idempotent.All(o => o.Succeeded), "reads or uploads failed:\n" + string.Join('\n', idempotent.Where(o => !o.Succeeded)) + "\n" + gateway.Log);
        // At least one upload was under way while no region was primary (a loaded machine may not start one inside that window).
        Assert.Contains(uploads.Outcomes, o => o.SentAt < electedAt && o.At > killedAt);

        // A strong write fails only while no region is primary (plus the moment the gateway needs to learn the new one), and then
        // with a 503 that says so and when to retry.
        var learned = electedAt.AddSeconds(1.5);
        foreach (var failure in writes.Failures)
        {
            Assert.True(failure.SentAt >= killedAt.AddMilliseconds(-200) && failure.SentAt <= learned,
                $"strong write failed outside the failover ({killedAt:HH:mm:ss.fff} to {electedAt:HH:mm:ss.fff}): {failure}\n{gateway.Log}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.Status);
            Assert.Contains((string?)JsonNode.Parse(failure.Body)!["code"], new[] { "PRIMARY_UNAVAILABLE", "NO_PRIMARY", "NO_REGION_AVAILABLE" });
        }
        Assert.All(writes.Outcomes.Where(o => o.Succeeded && o.SentAt > learned), o => Assert.Equal(successor.Name, o.ServedBy));
        Assert.Contains(writes.Outcomes, o => o.Succeeded && o.SentAt > learned);

        // No acknowledged write is lost: each key holds its last acknowledged write or a later one.
        var final = JsonNode.Parse(await Strong(gateway, $"api/analyses/{id}/annotations?limit=1000"))!["annotations"]!.AsArray()
            .ToDictionary(a => (string)a!["address"]!, a => Sequence((string)a!["name"]!));
        foreach (var acked in writes.Outcomes.Where(o => o.Succeeded).Select(o => JsonNode.Parse(o.Body)!).GroupBy(a => (string)a["address"]!))
        {
            var last = acked.Max(a => Sequence((string)a["name"]!));
            Assert.True(final.TryGetValue(acked.Key, out var held) && held >= last, $"{acked.Key}: acknowledged w{last}, holds {(held == 0 ? "nothing" : "w" + held)}");
        }
    }

    [Fact]
    public async Task ARefusedStrongWrite_MakesTheGatewayProbeAtOnce_SoItLearnsTheNewPrimaryLongBeforeItsNextProbe()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        // One probe at start, the next one 60 s later: whatever the gateway learns sooner, refused writes made it ask.
        using var gateway = await GatewayProcess.StartAsync(cluster, probeIntervalMs: 60_000);
        var primary = await cluster.PrimaryAsync();
        Assert.True(await gateway.WaitForPrimaryAsync(primary.Name, Soon));
        var id = await UploadEverywhereAsync(cluster, gateway);
        var writes = RequestLoop.Start(gateway.Client, n => Annotate(id, n), workers: 1, pauseMs: 20);
        Assert.True(await writes.WaitForAsync(o => o.Succeeded && o.ServedBy == primary.Name, Soon));

        primary.Kill();
        var successor = await cluster.PrimaryAsync(except: primary);
        Assert.True(await gateway.WaitForPrimaryAsync(successor.Name, TimeSpan.FromSeconds(5)),
            "the gateway did not learn the new primary:\n" + await gateway.Client.GetStringAsync("health") + "\n" + gateway.Log);
        Assert.True(await writes.WaitForAsync(o => o.Succeeded && o.ServedBy == successor.Name, Soon), gateway.Log);
        await writes.StopAsync();
    }

    [Fact]
    public async Task ASlowedRegionLosesItsTraffic_AHintIsHonoured_AndARegionBackGetsTrafficWithinAFewProbes()
    {
        using var cluster = await TestCluster.StartProxiedAsync(Regions);
        using var gateway = await GatewayProcess.StartAsync(cluster);
        var id = await UploadEverywhereAsync(cluster, gateway);
        // us-east-1 wins ties (configuration order): slow it down, as if it were across an ocean. Well beyond the pauses a loaded
        // 2-core machine adds to the others' answers (a 150 ms delay once lost to such a pause in CI).
        cluster.Proxy("us-east-1").Delay = TimeSpan.FromMilliseconds(400);
        Assert.True(await TestCluster.EventuallyAsync(async () => (await ServedByAsync(gateway, id, 10)).All(r => r != "us-east-1"), Soon),
            "the slow region kept its traffic:\n" + await gateway.Client.GetStringAsync("api/regions"));
        var after = await ServedByAsync(gateway, id, 30);
        Assert.DoesNotContain("us-east-1", after);

        // A hint wins over latency while the region is healthy, slow or not. (On a loaded machine a 400 ms region's probe can miss
        // its 1 s deadline, taking it out of rotation until two probes answer in time: the hint waits for that.)
        Assert.True(await TestCluster.EventuallyAsync(async () => (await ServedByAsync(gateway, id, 5, hint: "us-east-1")).All(r => r == "us-east-1"), Soon),
            "a hint for the slow region was not honoured:\n" + await gateway.Client.GetStringAsync("api/regions") + "\n" + gateway.Log);
        Assert.All(await ServedByAsync(gateway, id, 5, hint: "ap-south-1"), r => Assert.Equal("ap-south-1", r));

        var hinted = RequestLoop.Start(gateway.Client, _ => Read(id, hint: "ap-south-1"), workers: 1, pauseMs: 10);
        cluster["ap-south-1"].Kill();
        Assert.True(await hinted.WaitForAsync(o => o.Succeeded && o.ServedBy != "ap-south-1", Soon));
        await cluster["ap-south-1"].StartAsync();
        var restarted = DateTime.UtcNow;
        Assert.True(await hinted.WaitForAsync(o => o.ServedBy == "ap-south-1", Soon), gateway.Log);
        var back = hinted.Outcomes.First(o => o.SentAt >= restarted && o.ServedBy == "ap-south-1").SentAt - restarted;
        await hinted.StopAsync();

        Assert.True(hinted.Failures.Count == 0, "hinted reads failed:\n" + string.Join('\n', hinted.Failures));
        // Two good probes in a row bring it back; a few intervals is the bar, not a fixed minute.
        Assert.True(back < TimeSpan.FromMilliseconds(10 * gateway.ProbeIntervalMs), $"back in rotation after {back.TotalMilliseconds:0} ms\n{gateway.Log}");
    }

    [Fact]
    public async Task InterRegionEndpointsAreNotExposed_AndAnswersNameWhoServed()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        using var gateway = await GatewayProcess.StartAsync(cluster);
        foreach (var path in new[] { "api/replicate", "api/replicate/batch", "api/internal/binaries/x", "cluster-consensus/append" })
        {
            using var post = await gateway.Client.PostAsync(path, new ByteArrayContent([1, 2, 3]));
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
            Assert.False(post.Headers.Contains("X-Ghidra-Served-By"));
            Assert.Equal("NOT_FOUND", (string?)JsonNode.Parse(await post.Content.ReadAsStringAsync())!["code"]);
        }

        // An upload marked strong lands at the primary, so a strong write right after it finds the analysis there.
        var primary = await cluster.PrimaryAsync();
        Assert.True(await gateway.WaitForPrimaryAsync(primary.Name, Soon));
        using var upload = new HttpRequestMessage(HttpMethod.Post, "api/analyze") { Content = ReplicationTests.Binary(Samples.Variant(9100)) };
        upload.Headers.Add("X-Consistency", "strong");
        var uploaded = await RequestLoop.SendAsync(gateway.Client, upload);
        Assert.True(uploaded.Succeeded, uploaded.ToString());
        Assert.Equal(primary.Name, uploaded.ServedBy);
        var fresh = (string)JsonNode.Parse(uploaded.Body)!["analysis_id"]!;
        var annotated = await RequestLoop.SendAsync(gateway.Client, Annotate(fresh, 1));
        Assert.True(annotated.Succeeded, annotated.ToString());
        Assert.Equal(primary.Name, annotated.ServedBy);

        // A strong read while the primary is out of rotation: a 503 that says so, not another region's older copy.
        primary.Kill();
        Assert.True(await gateway.WaitForAsync(primary.Name, healthy: false, Soon));
        using var strongRead = new HttpRequestMessage(HttpMethod.Get, $"api/analyses/{fresh}");
        strongRead.Headers.Add("X-Consistency", "strong");
        var refused = await RequestLoop.SendAsync(gateway.Client, strongRead);
        if (refused.Status == HttpStatusCode.ServiceUnavailable)
        {
            Assert.Equal("PRIMARY_UNAVAILABLE", (string?)JsonNode.Parse(refused.Body)!["code"]);
        }
        else
        {
            // The failover already named a successor: it must be the one that served.
            Assert.True(refused.Succeeded, refused.ToString());
            Assert.NotEqual(primary.Name, refused.ServedBy);
            Assert.Equal((string?)JsonNode.Parse(await gateway.Client.GetStringAsync("health"))!["primary"], refused.ServedBy);
        }
    }

    [Fact]
    public async Task AnalyzeRegionsAndFailover_TakeTheGatewaysUrl()
    {
        using var cluster = await TestCluster.StartAsync(Regions);
        using var gateway = await GatewayProcess.StartAsync(cluster);
        var url = gateway.Address.ToString();
        var primary = await cluster.PrimaryAsync();
        Assert.True(await gateway.WaitForPrimaryAsync(primary.Name, Soon));

        var regions = OperatorTests.Cli("regions", "--url", url);
        Assert.True(regions.Exit == 0, regions.Stderr);
        Assert.Equal(3, regions.Stdout.Split('\n').Count(l => l.Contains('✓', StringComparison.Ordinal)));
        Assert.Contains($"{primary.Name}: ✓", regions.Stdout, StringComparison.Ordinal);

        var sample = Path.Combine(cluster.DataDir, "sample.elf");
        await File.WriteAllBytesAsync(sample, Samples.ProgramElf);
        var analyze = OperatorTests.Cli("analyze", "--server", url, "--json", sample);
        Assert.True(analyze.Exit == 0, analyze.Stderr);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Samples.ProgramElf)), (string?)JsonNode.Parse(analyze.Stdout)!["analysis_id"]);

        var target = cluster.DataNodes.First(n => n != primary);
        var failover = OperatorTests.Cli("failover", "--to", target.Name, "--url", url);
        Assert.True(failover.Exit == 0, failover.Stdout + failover.Stderr);
        Assert.True(await gateway.WaitForPrimaryAsync(target.Name, Soon));
        var after = OperatorTests.Cli("regions", "--url", url);
        Assert.Contains($"{target.Name}: ✓", after.Stdout, StringComparison.Ordinal);
        Assert.Matches($"{target.Name}: ✓ \\([0-9.]+ms\\)  primary", after.Stdout);
    }

    private static async Task<string> UploadEverywhereAsync(TestCluster cluster, GatewayProcess gateway)
    {
        var uploaded = await RequestLoop.SendAsync(gateway.Client, Upload(Samples.ProgramElf));
        Assert.True(uploaded.Succeeded, uploaded + "\n" + gateway.Log);
        var id = (string)JsonNode.Parse(uploaded.Body)!["analysis_id"]!;
        foreach (var node in cluster.DataNodes)
        {
            Assert.True(await TestCluster.EventuallyAsync(async () => (await node.Client.GetAsync($"api/analyses/{id}")).IsSuccessStatusCode, Soon), $"{id} never reached {node.Name}");
        }
        return id;
    }

    private static async Task<List<string?>> ServedByAsync(GatewayProcess gateway, string id, int count, string? hint = null)
    {
        var served = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            var outcome = await RequestLoop.SendAsync(gateway.Client, Read(id, hint));
            Assert.True(outcome.Succeeded, outcome.ToString());
            served.Add(outcome.ServedBy);
        }
        return served;
    }

    private static async Task<string> Strong(GatewayProcess gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Consistency", "strong");
        using var response = await gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    private static HttpRequestMessage Read(string id, string? hint = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"api/analyses/{id}");
        if (hint is not null)
        {
            request.Headers.Add("X-Client-Region", hint);
        }
        return request;
    }

    private static HttpRequestMessage Upload(byte[] bytes) => new(HttpMethod.Post, "api/analyze") { Content = ReplicationTests.Binary(bytes) };

    /// <summary>Strong write number <paramref name="n"/>: name <c>wN</c> on one of eight addresses.</summary>
    private static HttpRequestMessage Annotate(string id, int n) =>
        new(HttpMethod.Put, $"api/analyses/{id}/annotations/0x{0x1000 + (n % 8 * 0x10):x}") { Content = JsonContent.Create(new { name = "w" + n.ToString(CultureInfo.InvariantCulture) }) };

    private static int Sequence(string name) => int.Parse(name.AsSpan(1), CultureInfo.InvariantCulture);

    /// <summary>The value of one sample, by its exact label text; 0 when absent.</summary>
    private static double Sample(string exposition, string name, string labels) => exposition.Split('\n')
        .Where(line => line.StartsWith($"{name}{{{labels}}} ", StringComparison.Ordinal))
        .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
        .FirstOrDefault();
}
