using System.Net;
using System.Net.Http.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// A region whose data folder's disk fills up, on a real small file system: it refuses uploads with 503 STORAGE_FULL and
/// Retry-After below its reserve, keeps taking annotations, says so in /health, a metric and one log line, answers a write that
/// hits the full disk the same way (never a 500), and loses nothing it acknowledged.
/// </summary>
public sealed class FullDiskTests
{
    private const long Reserve = 6L << 20;

    [FactWhereTmpfsMounts]
    public async Task BelowTheReserve_UploadsAre503StorageFull_AnnotationsStillWork_AndFreeingSpaceResumesEverything()
    {
        using var disk = SmallFileSystem.Mount(48L << 20);
        var logs = new CapturedLogs();
        await using var region = await TestRegion.StartAsync(o => o with { Storage = o.Storage with { ReserveBytes = Reserve } }, disk.Path, logs);
        var acknowledged = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            acknowledged.Add(await UploadAsync(region, Samples.Variant(i)));
        }

        disk.Fill(leaveFree: Reserve / 2);
        await WaitForHealthAsync(region, "degraded");

        using var refused = await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.Variant(100)));
        var problem = await Json.AssertProblemAsync(refused, 503, "STORAGE_FULL");
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("reserve", (string?)problem["detail"], StringComparison.Ordinal);
        var health = await Json.ReadAsync(await region.Client.GetAsync("health"));
        Assert.Contains("storage-space", (string?)health["error"], StringComparison.Ordinal);
        var free = MetricsText.Sum(await region.Client.GetStringAsync("metrics"), "ghidrainsight_storage_free_bytes");
        Assert.InRange(free, 0, Reserve);

        // Annotations are small strong writes: the reserve is kept for them.
        using var annotated = await region.Client.PutAsJsonAsync($"api/analyses/{acknowledged[0]}/annotations/0x1000", new { name = "kept_while_full" });
        Assert.Equal(HttpStatusCode.Created, annotated.StatusCode);

        // Several probes of the low state, one log line for it.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(1, logs.Count("FreeSpaceLow"));

        disk.Free();
        await WaitForHealthAsync(region, "healthy");
        Assert.Equal(1, logs.Count("FreeSpaceRecovered"));
        foreach (var id in acknowledged)
        {
            Assert.Equal(HttpStatusCode.OK, (await region.Client.GetAsync($"api/analyses/{id}")).StatusCode);
        }
        var annotation = await Json.ReadAsync(await region.Client.GetAsync($"api/analyses/{acknowledged[0]}/annotations/0x1000"));
        Assert.Equal("kept_while_full", (string?)annotation["name"]);
        await UploadAsync(region, Samples.Variant(100));
    }

    [FactWhereTmpfsMounts]
    public async Task AWriteThatFindsTheDiskFull_Is503StorageFull_NeverA500_LoggedOnceWithoutAStackTrace()
    {
        using var disk = SmallFileSystem.Mount(48L << 20);
        var logs = new CapturedLogs();
        // No reserve: nothing refuses the upload before the store's write meets the full disk.
        await using var region = await TestRegion.StartAsync(o => o with { Storage = o.Storage with { ReserveBytes = 0 } }, disk.Path, logs);
        var kept = await UploadAsync(region, Samples.Variant(1));

        disk.Fill(leaveFree: 0);
        using var failed = await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.Variant(2)));

        await Json.AssertProblemAsync(failed, 503, "STORAGE_FULL");
        Assert.NotNull(failed.Headers.RetryAfter);
        var line = Assert.Single(logs.Events, e => e.Id.Name == "WriteFoundDiskFull");
        Assert.Null(line.Exception);
        // Said once, with the request id the client was given; the generic failure line is not added to it.
        var requestId = failed.Headers.GetValues("X-Request-Id").Single();
        Assert.Contains(requestId, line.Message, StringComparison.Ordinal);
        Assert.Single(logs.Events, e => e.Message.Contains(requestId, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Events, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);

        disk.Free();
        Assert.Equal(HttpStatusCode.OK, (await region.Client.GetAsync($"api/analyses/{kept}")).StatusCode);
        await UploadAsync(region, Samples.Variant(2));
    }

    [FactWhereTmpfsMounts]
    public async Task ReplicatedAnalyses_AreRefusedBelowTheReserve_UntilSpaceIsFreed_ThenApplied()
    {
        using var disk = SmallFileSystem.Mount(48L << 20);
        await using var region = await SignedBatches.StartUsEastAsync(o => o with { Storage = o.Storage with { DataDir = disk.Path, ReserveBytes = Reserve } });
        var (body, id) = await SignedBatches.FromEuWestAsync();
        disk.Fill(leaveFree: Reserve / 2);
        await WaitForHealthAsync(region, "degraded");

        using var refused = await region.Client.SendAsync(SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, TimeProvider.System));
        await Json.AssertProblemAsync(refused, 503, "STORAGE_FULL");
        Assert.Equal(HttpStatusCode.NotFound, (await region.Client.GetAsync($"api/analyses/{id}")).StatusCode);

        disk.Free();
        await WaitForHealthAsync(region, "healthy");
        using var applied = await region.Client.SendAsync(SignedBatches.Sign(region, body, "eu-west-1", SignedBatches.Secret, TimeProvider.System));
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await region.Client.GetAsync($"api/analyses/{id}")).StatusCode);
    }

    private static async Task<string> UploadAsync(TestRegion region, byte[] binary)
    {
        using var response = await region.Client.PostAsync("api/analyze", TestRegion.Binary(binary));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (string)(await Json.ReadAsync(response))["analysis_id"]!;
    }

    /// <summary>The watch samples every second; a state change shows within a few.</summary>
    private static async Task WaitForHealthAsync(TestRegion region, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (string?)(await Json.ReadAsync(await region.Client.GetAsync("health")))["status"];
            if (last == status)
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"/health stayed {last}, expected {status}");
    }
}
