using System.Net;
using System.Net.Http.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Server.Tests.Support;

namespace GhidraInsight.Server.Tests;

/// <summary>A region on PostgreSQL (<c>storage.provider: postgres</c>), against a real server made with initdb and pg_ctl.</summary>
public sealed class PostgresModeTests
{
    [Fact]
    public async Task ARegionOnPostgres_ServesUploadsReadsAnnotationsAndDeletions()
    {
        var server = PostgresServer.Instance;
        var database = NewDatabase(server);
        await using var region = await StartAsync(server, database);

        var analysis = await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf)));
        var id = (string)analysis["analysis_id"]!;
        var url = $"api/analyses/{id}/annotations/0x1000";
        using var created = await region.Client.PutAsJsonAsync(url, new { name = "entry" });
        using var update = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(new { name = "start" }) };
        update.Headers.IfMatch.ParseAdd("\"1\"");
        using var updated = await region.Client.SendAsync(update);
        using var stale = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(new { name = "lost" }) };
        stale.Headers.IfMatch.ParseAdd("\"1\"");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (created.StatusCode, updated.StatusCode));
        await Json.AssertProblemAsync(await region.Client.SendAsync(stale), 409, "VERSION_CONFLICT");
        Assert.Equal(id, (string?)(await Json.ReadAsync(await region.Client.GetAsync($"api/analyses/{id}")))["analysis_id"]);
        Assert.Equal("start", (string?)(await Json.ReadAsync(await region.Client.GetAsync(url)))["name"]);
        Assert.Equal(HttpStatusCode.NoContent, (await region.Client.DeleteAsync($"api/analyses/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await region.Client.GetAsync($"api/analyses/{id}")).StatusCode);
        // Stored, annotated twice, deleted: four changes in the feed, written with the data.
        Assert.Equal(4L, server.PsqlLong(database, "SELECT sequence FROM change_head;"));
    }

    [Fact]
    public async Task AnUploadAtARegionWhoseStandbyIsBehind_IsAnsweredFromWhatWasWritten()
    {
        // The region reads from a database that never receives the writes (a standby as far behind as can be): the upload
        // is stored at the primary and answered all the same, never a 500.
        var primary = PostgresServer.Instance;
        var database = NewDatabase(primary);
        using var behind = PostgresServer.StartPrivate(password: primary.Password);
        behind.EnsureDatabase(database);
        await using (var schema = await StartAsync(behind, database))
        {
            // Gives the lagging database the schema, as replication would have.
        }

        await using var region = await TestRegion.StartAsync(o => o with
        {
            Storage = o.Storage with
            {
                Provider = "postgres",
                ConnectionString = primary.ConnectionString(database),
                Password = primary.Password,
                ReadHost = $"127.0.0.1:{behind.Port}",
            },
        });

        using var uploaded = await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf));

        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        Assert.NotNull((string?)(await Json.ReadAsync(uploaded))["analysis_id"]);
        Assert.Equal(1L, primary.PsqlLong(database, "SELECT COUNT(*) FROM analyses;"));
    }

    [Fact]
    public async Task TwoProcessesOnOneDatabase_SeeEachOthersWrites_AndTheCacheFollowsTheChangeFeed()
    {
        var server = PostgresServer.Instance;
        var database = NewDatabase(server);
        await using var a = await StartAsync(server, database);
        await using var b = await StartAsync(server, database);
        var id = (string)(await Json.ReadAsync(await a.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf))))["analysis_id"]!;

        // b serves (and caches) what a stored; then a deletes it, and b learns it from the change feed.
        Assert.Equal(HttpStatusCode.OK, (await b.Client.GetAsync($"api/analyses/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await b.Client.GetAsync($"api/analyses/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.DeleteAsync($"api/analyses/{id}")).StatusCode);
        var gone = false;
        for (var i = 0; i < 40 && !gone; i++)
        {
            gone = (await b.Client.GetAsync($"api/analyses/{id}")).StatusCode == HttpStatusCode.NotFound;
            await Task.Delay(gone ? 0 : 100);
        }

        Assert.True(gone, "b still served the deleted analysis after 4 s");
    }

    [Fact]
    public async Task WhileTheDatabaseIsDown_WritesAndReadsAnswer503WithTheReason_ThenServeAgain()
    {
        using var server = PostgresServer.StartPrivate();
        var database = NewDatabase(server);
        // The schema goes in first with the usual deadline (a new server's first migrations can take over 0.8 s under load).
        await (await StartAsync(server, database)).DisposeAsync();
        await using var region = await StartAsync(server, database, deadlineMs: 800);
        var id = (string)(await Json.ReadAsync(await region.Client.PostAsync("api/analyze", TestRegion.Binary(Samples.ProgramElf))))["analysis_id"]!;
        var url = $"api/analyses/{id}/annotations/0x1000";

        server.Kill();
        using var write = await region.Client.PutAsJsonAsync(url, new { name = "entry" });
        using var read = await region.Client.GetAsync("api/analyses");

        var writeProblem = await Json.AssertProblemAsync(write, 503, "PRIMARY_UNAVAILABLE");
        Assert.Contains("No PostgreSQL primary took the write within 0.8 s", (string?)writeProblem["detail"], StringComparison.Ordinal);
        Assert.NotNull(write.Headers.RetryAfter);
        var readProblem = await Json.AssertProblemAsync(read, 503, "STORAGE_UNAVAILABLE");
        Assert.Contains("did not answer within 0.8 s", (string?)readProblem["detail"], StringComparison.Ordinal);
        Assert.NotNull(read.Headers.RetryAfter);

        // Back, it serves again: at once, or after a Retry-After or two while the restarted database starts taking connections.
        server.Restart();
        var answers = new List<HttpStatusCode>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        do
        {
            using var again = await region.Client.PutAsJsonAsync(url, new { name = "entry" });
            answers.Add(again.StatusCode);
        }
        while (answers[^1] == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < until);
        Assert.Equal(HttpStatusCode.Created, answers[^1]);
    }

    [Fact]
    public void Serve_WithAWrongPassword_AnUnreachableDatabase_OrANewerSchema_SaysSoInOneLine()
    {
        var server = PostgresServer.Instance;
        var database = NewDatabase(server);
        using var folder = new TempFolder("ghidrainsight-pg-serve-");
        var data = folder.Path;
        var unused = FreePorts.Take(1)[0];
        string[] args = ["--port", "0", "--data", data];
        // Only the unreachable database needs the short deadline (its message names it); the others get one a loaded machine
        // meets, so a first start's migrations or a version check are never what the test times.
        Dictionary<string, string> Environment(string connection, string password, int deadlineMs = 30_000) => new()
        {
            ["GHIDRA_STORAGE__PROVIDER"] = "postgres",
            ["GHIDRA_STORAGE__CONNECTION_STRING"] = connection,
            ["GHIDRA_STORAGE__PASSWORD"] = password,
            ["GHIDRA_STORAGE__WRITE_DEADLINE_MS"] = deadlineMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

        var wrongPassword = ServeProcess.Run(Environment(server.ConnectionString(database), "not-the-password"), ["serve", .. args]);
        var unreachable = ServeProcess.Run(Environment($"Host=127.0.0.1;Port={unused};Database=x;Username=ghidra;Timeout=1", server.Password, 1000), ["serve", .. args]);
        using (var first = ServeProcess.Start(Environment(server.ConnectionString(database), server.Password), args))
        {
            first.Terminate();
        }

        server.Psql(database, "INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'from the future', 0);");
        var newer = ServeProcess.Run(Environment(server.ConnectionString(database), server.Password), ["serve", .. args]);

        foreach (var (run, expected) in new[]
        {
            (wrongPassword, "28P01: password authentication failed for user \"ghidra\""),
            (unreachable, "No PostgreSQL primary took the write within 1 s"),
            (newer, "has schema version 99, but this build only knows versions up to 3"),
        })
        {
            Assert.NotEqual(0, run.ExitCode);
            var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("ghidrainsight: cannot start region", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Password, line, StringComparison.Ordinal);
        }
    }

    private static string NewDatabase(PostgresServer server)
    {
        var database = "gi_server_" + Guid.NewGuid().ToString("N")[..16];
        server.EnsureDatabase(database);
        return database;
    }

    private static Task<TestRegion> StartAsync(PostgresServer server, string database, int deadlineMs = 5000) =>
        TestRegion.StartAsync(o => o with
        {
            Storage = o.Storage with
            {
                Provider = "postgres",
                ConnectionString = server.ConnectionString(database),
                Password = server.Password,
                WriteDeadlineMs = deadlineMs,
            },
        });
}
