using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GhidraInsight.Cluster.Tests.Support;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Cluster.Tests;

/// <summary>
/// The inter-region secret rotated on a live <c>up</c>, region by region as an operator would (README "Rotating the region secret"),
/// under a writer: no write fails because of it (a reload's stall past the primary's lease is told apart, below), no
/// replication batch fails, every write reaches every region, and afterwards the old secret is no longer accepted.
/// </summary>
public sealed partial class SecretRotationTests
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-south-1"];

    [Fact]
    public async Task TheSecret_RotatedRegionByRegionUnderAWriter_FailsNoWriteAndNoReplicationBatch()
    {
        using var folder = new TempFolder("ghidrainsight-rotate-");
        var data = folder.Path;
        var port = FreePorts.ConsecutiveBlock(4);
        using var up = UpProcess.Start(data, port);
        await up.LinesUntilUpAsync();
        using var gateway = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + 3}") };
        using var upload = await gateway.PostAsync("api/analyze", ReplicationTests.Binary(Samples.ProgramElf));
        var id = (string)JsonNode.Parse(await upload.Content.ReadAsStringAsync())!["analysis_id"]!;
        var writer = RequestLoop.Start(gateway, n => new HttpRequestMessage(HttpMethod.Put, $"api/analyses/{id}/annotations/0x{0x1000 + n:x}")
        {
            Content = JsonContent.Create(new { name = $"written_{n}" }),
        }, workers: 2, pauseMs: 20);

        var oldSecret = Path.Combine(data, "region-secret");
        var newSecret = Path.Combine(data, "region-secret-next");
        await File.WriteAllTextAsync(newSecret, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        // Step 1, one region after the other: the new secret, the old one as previous. Traffic flows between rotated and
        // not-yet-rotated regions for a while each time.
        foreach (var region in Regions)
        {
            await EditConfigAsync(data, region, yaml => SecretFile().Replace(yaml, $"  secret_file: {newSecret}\n  previous_secret_file: {oldSecret}\n"));
            await WaitForLogAsync(up, region, "The inter-region secret changed", 1);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        // Step 2, once every region has the new secret: the previous one goes, again one region after the other.
        foreach (var region in Regions)
        {
            await EditConfigAsync(data, region, yaml => PreviousSecretFile().Replace(yaml, ""));
            await WaitForLogAsync(up, region, "The inter-region secret changed", 2);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        await writer.StopAsync();

        Assert.True(writer.Outcomes.Count > 100, $"only {writer.Outcomes.Count} writes");
        // No write fails because of the rotation. What a reload can do on a loaded machine is stall the primary for a few hundred
        // milliseconds, past up's 400 ms lease: a strong write then gets 503 (not acknowledged, kept and replicated), and the
        // primary logs the lapse. Such answers are allowed, a few and only with that log line; anything else is a failure.
        var regionLog = string.Join('\n', up.Stderr.Split('\n').Where(l => l.Contains("majority", StringComparison.Ordinal)
            || l.Contains("lease", StringComparison.Ordinal) || l.Contains("secret", StringComparison.Ordinal)));
        var lapses = writer.Failures.Where(f => f.Status == System.Net.HttpStatusCode.ServiceUnavailable
            && f.Body.Contains("lost contact with the majority of regions", StringComparison.Ordinal)).ToList();
        var failures = writer.Failures.Except(lapses).ToList();
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(5)) + "\nWhat the regions said of their majority and secrets:\n" + regionLog);
        Assert.True(lapses.Count == 0 || (lapses.Count <= 4 && regionLog.Contains("primary lease ran out", StringComparison.Ordinal)),
            string.Join('\n', lapses.Take(5)) + "\nWhat the regions said of their majority and secrets:\n" + regionLog);
        Assert.DoesNotContain("is failing, retrying", up.Stderr, StringComparison.Ordinal);
        var written = writer.Outcomes.Count;
        foreach (var (region, offset) in Regions.Select((r, i) => (r, i)))
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + offset}") };
            Assert.True(await TestCluster.EventuallyAsync(async () => await CountAnnotationsAsync(client, id) == written, TimeSpan.FromSeconds(20)),
                $"{region} has {await CountAnnotationsAsync(client, id)} of {written} annotations");
        }
        // The old secret is gone everywhere; the new one is what the regions trust.
        using var east = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await SendSignedAsync(east, await File.ReadAllTextAsync(oldSecret))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await SendSignedAsync(east, await File.ReadAllTextAsync(newSecret))).StatusCode);
        Assert.Equal(0, up.Terminate());
    }

    /// <summary>An empty replication batch from eu-west-1, signed with <paramref name="secret"/>.</summary>
    private static async Task<HttpResponseMessage> SendSignedAsync(HttpClient client, string secret)
    {
        var body = "{\"origin\":\"eu-west-1\",\"entries\":[]}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(client.BaseAddress!, "api/replicate")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        new GhidraInsight.Regions.Authentication.RegionRequestSigner("eu-west-1", secret.Trim(), TimeProvider.System).Sign(request, body);
        return await client.SendAsync(request);
    }

    private static async Task EditConfigAsync(string data, string region, Func<string, string> edit)
    {
        var path = Path.Combine(data, region, "config.yaml");
        var before = await File.ReadAllTextAsync(path);
        var after = edit(before);
        Assert.NotEqual(before, after);
        await File.WriteAllTextAsync(path, after);
    }

    private static async Task WaitForLogAsync(UpProcess up, string region, string text, int times)
    {
        var line = $"[{region}] ";
        Assert.True(await TestCluster.EventuallyAsync(() => Task.FromResult(
            up.Stderr.Split('\n').Count(l => l.StartsWith(line, StringComparison.Ordinal) && l.Contains(text, StringComparison.Ordinal)) >= times),
            TimeSpan.FromSeconds(20)), $"{region} never logged '{text}' {times} time(s):\n{up.Stderr}");
    }

    private static async Task<int> CountAnnotationsAsync(HttpClient client, string id)
    {
        var count = 0;
        string? after = null;
        do
        {
            var page = JsonNode.Parse(await client.GetStringAsync($"api/analyses/{id}/annotations?limit=500{(after is null ? "" : "&after=" + after)}"))!;
            count += page["annotations"]!.AsArray().Count;
            after = (string?)page["next"];
        }
        while (after is not null);
        return count;
    }

    [GeneratedRegex(@"^  secret_file: .*\n", RegexOptions.Multiline)]
    private static partial Regex SecretFile();

    [GeneratedRegex(@"^  previous_secret_file: .*\n", RegexOptions.Multiline)]
    private static partial Regex PreviousSecretFile();
}
