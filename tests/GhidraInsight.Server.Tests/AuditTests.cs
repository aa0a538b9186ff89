using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Tests.Support;
using GhidraInsight.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Server.Tests;

/// <summary>
/// The audit trail over HTTP: every strong write and admin call, with the key's name (never the key), what, on what, and the
/// status; refusals too; readable by admins only, page by page.
/// </summary>
public sealed class AuditTests
{
    private static readonly AuthOptions Keys = new()
    {
        ApiKeys =
        [
            new ApiKeyOptions { Name = "reader", Role = ApiRole.Read, KeySha256 = ConfigLoader.HashApiKey("read-key-secret") },
            new ApiKeyOptions { Name = "analyst", Role = ApiRole.Annotate, KeySha256 = ConfigLoader.HashApiKey("annotate-key-secret") },
            new ApiKeyOptions { Name = "ops", Role = ApiRole.Admin, KeySha256 = ConfigLoader.HashApiKey("admin-key-secret") },
        ],
    };

    [Fact]
    public async Task StrongWritesDeletionsAndAdminCalls_AreRecordedWithTheKeyName_AndAKnownKeysRefusalsToo()
    {
        await using var region = await TestRegion.StartAsync(o => o with { Auth = Keys });
        using var analyst = region.ClientWithKey("annotate-key-secret");
        using var ops = region.ClientWithKey("admin-key-secret");
        using var reader = region.ClientWithKey("read-key-secret");
        var id = (string)(await Json.ReadAsync(await analyst.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf))))["analysis_id"]!;

        Assert.Equal(HttpStatusCode.Created, (await analyst.PutAsJsonAsync($"api/analyses/{id}/annotations/0x10", new { name = "audited" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.DeleteAsync($"api/analyses/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await region.Client.DeleteAsync($"api/analyses/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ops.DeleteAsync($"api/analyses/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("api/audit")).StatusCode);

        var entries = await WaitForEntriesAsync(ops, 5);
        // The upload is not there (its result depends only on its bytes), nor the call without a key (anyone could make those);
        // the reads of the trail are admin calls, so they are.
        Assert.Equal(
        [
            ("analyst", "PUT /api/analyses/{id}/annotations/{address}", $"/api/analyses/{id}/annotations/0x10", 201),
            ("analyst", "DELETE /api/analyses/{id}", $"/api/analyses/{id}", 403),
            ("ops", "DELETE /api/analyses/{id}", $"/api/analyses/{id}", 204),
            ("reader", "GET /api/audit", "/api/audit", 403),
        ], entries.Take(4).Select(e => ((string)e!["key"]!, (string)e["action"]!, (string)e["target"]!, (int)e["result"]!)));
        Assert.All(entries, e => Assert.Equal("test-1", (string?)e!["region"]));
        var text = await ops.GetStringAsync("api/audit");
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrail_IsPaged_AndABadAfterIs400()
    {
        await using var region = await TestRegion.StartAsync();
        var id = (string)(await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf))))["analysis_id"]!;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await region.Client.PutAsJsonAsync($"api/analyses/{id}/annotations/0x{i + 1:x}", new { name = $"n{i}" })).StatusCode);
        }
        await WaitForEntriesAsync(region.Client, 5);

        var first = await Json.ReadAsync(await region.Client.GetAsync("api/audit?limit=3"));
        var second = await Json.ReadAsync(await region.Client.GetAsync($"api/audit?limit=3&after={first["next"]}"));

        Assert.Equal(["0x1", "0x2", "0x3"], first["items"]!.AsArray().Select(e => ((string)e!["target"]!).Split('/')[^1]));
        Assert.Equal("0x4", ((string)second["items"]![0]!["target"]!).Split('/')[^1]);
        Assert.Equal("anonymous", (string?)first["items"]![0]!["key"]);
        await Json.AssertProblemAsync(await region.Client.GetAsync("api/audit?after=not-an-id"), 400, "BAD_INPUT");
    }

    [Fact]
    public async Task RecordingAnEntry_WhileTheStoreCannotWrite_DoesNotHoldTheConnection_AndTheEntryIsWrittenOnceItCan()
    {
        await using var region = await TestRegion.StartAsync();
        // One connection only: the call after the audited one travels on the same keep-alive connection.
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = region.Host.Address, Timeout = TimeSpan.FromSeconds(3) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health")).StatusCode);

        // Another writer holds the database's write lock: the audit entry of the next admin call cannot be written for now.
        await using (var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(region.DataDir, "ghidrainsight.db")}"))
        {
            await blocker.OpenAsync();
            await using (var hold = blocker.CreateCommand())
            {
                hold.CommandText = "BEGIN IMMEDIATE";
                await hold.ExecuteNonQueryAsync();
            }
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/audit")).StatusCode);
            // Answered at once, not after the store's busy timeout (5 s) that the entry's write is waiting out.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health")).StatusCode);
            await using var release = blocker.CreateCommand();
            release.CommandText = "ROLLBACK";
            await release.ExecuteNonQueryAsync();
        }

        // The first entry is the call made while the store was locked (reading the trail is an admin call, recorded too).
        Assert.Equal("GET /api/audit", (string?)(await WaitForEntriesAsync(region.Client, 1))[0]!["action"]);
    }

    [Fact]
    public async Task EntriesOlderThanTheRetention_AreRemoved_AndNewerOnesStay()
    {
        await using var region = await TestRegion.StartAsync(o => o with { Storage = o.Storage with { AuditRetentionDays = 30 } });
        var trail = region.Host.Services.GetRequiredService<IAuditTrail>();
        var pruner = region.Host.Services.GetRequiredService<GhidraInsight.Server.Audit.AuditPruner>();
        // The hourly loop's first pass runs at start and may be slow to get a thread on a loaded machine:
        // stopped (and waited for) here, so that only the call below prunes the entries this test writes.
        await pruner.StopAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        await trail.RecordAsync(AuditEntry.Create(now.AddDays(-31), "test-1", "ops", "DELETE /api/analyses/{id}", "/api/analyses/old", 204));
        await trail.RecordAsync(AuditEntry.Create(now.AddDays(-29), "test-1", "ops", "DELETE /api/analyses/{id}", "/api/analyses/kept", 204));

        var removed = await pruner.PruneOnceAsync(CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.Equal(["/api/analyses/kept"], (await trail.ListAsync(10)).Select(e => e.Target));
    }

    /// <summary>Entries are recorded once the answer has gone out: a moment after the last call.</summary>
    private static async Task<JsonArray> WaitForEntriesAsync(HttpClient admin, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonArray items;
        do
        {
            items = (await Json.ReadAsync(await admin.GetAsync("api/audit?limit=1000")))["items"]!.AsArray();
            if (items.Count >= count)
            {
                return items;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"the trail holds {items.Count} entries, expected at least {count}: {items.ToJsonString()}");
        return items;
    }
}
