using System.Diagnostics;
using GhidraInsight.Storage.Postgres;
using GhidraInsight.Storage.Tests.Support;
using Npgsql;

namespace GhidraInsight.Storage.Tests.Postgres;

/// <summary>What only the PostgreSQL store has: migrations shared by many processes, failover retries, binaries kept in the region, bad settings.</summary>
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gi-pg-store-").FullName;
    private readonly List<IRegionStore> _stores = [];
    private string _database = "";

    public Task InitializeAsync()
    {
        _database = PostgresProvider.DatabaseOf(_folder);
        PostgresServer.Instance.EnsureDatabase(_database);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ProcessesStartingTogether_ApplyEachMigrationOnce()
    {
        var stores = Enumerable.Range(0, 6).Select(i => Open($"region-{i}")).ToList();

        await Task.WhenAll(stores.Select(s => s.InitializeAsync()));

        Assert.Equal((long)PostgresMigrations.All.Count, Server.PsqlLong(_database, "SELECT COUNT(*) FROM schema_version;"));
        Assert.True(await stores[5].Analyses.SaveAnalysisAsync(Samples.Analysis(1), epoch: 1));
    }

    [Fact]
    public async Task ADatabaseWithANewerSchema_IsRefusedWithOneClearLine()
    {
        await Open("a").InitializeAsync();
        Server.Psql(_database, "INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'from the future', 0);");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Open("b").InitializeAsync());

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task AWrongPassword_FailsAtOnce_NotAfterTheWriteDeadline()
    {
        var store = Open("a", password: "not-the-password", deadline: TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<PostgresException>(() => store.InitializeAsync());

        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AnUnreachableDatabase_IsReportedAsNoPrimaryAfterTheDeadline()
    {
        var store = PostgresStorage.Open(new PostgresStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={UnusedPort()};Database=x;Username=ghidra;Timeout=1",
            DataDirectory = Path.Combine(_folder, "a"),
            WriteDeadline = TimeSpan.FromSeconds(1.5),
        });
        _stores.Add(store);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<PrimaryUnavailableException>(() => store.InitializeAsync());

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10));
        Assert.Contains("No PostgreSQL primary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFrozenDatabase_IsGivenUpOnAtTheDeadline_NotWaitedForUntilItThaws()
    {
        using var server = PostgresServer.StartPrivate();
        server.EnsureDatabase(_database);
        PostgresStorage Open(string folder, TimeSpan deadline) => PostgresStorage.Open(new PostgresStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={server.Port};Database={_database};Username={PostgresServer.User}",
            Password = server.Password,
            DataDirectory = Path.Combine(_folder, folder),
            WriteDeadline = deadline,
        });
        // The schema and the analysis go in with a deadline a loaded machine meets (a new server's first migrations can take
        // seconds); the store under test then only checks the schema version.
        var analysis = Samples.Analysis(7);
        await using (var setup = Open("setup", TimeSpan.FromSeconds(30)))
        {
            await setup.InitializeAsync();
            Assert.True(await setup.Analyses.SaveAnalysisAsync(analysis, epoch: 1));
        }

        var store = Open("frozen", TimeSpan.FromSeconds(2));
        _stores.Add(store);
        await store.InitializeAsync();

        // SIGSTOP: connections stay open and the server accepts new ones, but nothing answers (Npgsql's own timeouts are 15 and 30 s).
        var frozen = ProcessTree.Freeze(server.PostmasterPid);
        try
        {
            var clock = Stopwatch.StartNew();
            var write = await Assert.ThrowsAsync<PrimaryUnavailableException>(() => store.Analyses.PutAnnotationAsync(analysis.Id, 0x10, Samples.Input("frozen"), null, epoch: 1));
            var writeTook = clock.Elapsed;
            clock.Restart();
            var read = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Analyses.GetAnalysisAsync(analysis.Id));
            var readTook = clock.Elapsed;

            Assert.Contains("within 2 s", write.Message, StringComparison.Ordinal);
            Assert.Contains("within 2 s", read.Message, StringComparison.Ordinal);
            // The deadline, plus Npgsql's wait for its cancellation request (2 s), plus a margin for a loaded machine.
            Assert.True(writeTook < TimeSpan.FromSeconds(8) && readTook < TimeSpan.FromSeconds(8), $"write {writeTook}, read {readTook}");
        }
        finally
        {
            ProcessTree.Thaw(frozen);
        }

        // Thawed, the same store works again.
        var again = await store.Analyses.PutAnnotationAsync(analysis.Id, 0x20, Samples.Input("thawed"), null, epoch: 1);
        Assert.Equal(AnnotationWriteStatus.Created, again.Status);
    }

    [Fact]
    public async Task AWriteHangingOnAFrozenPrimary_RunsAgainOnTheNamedNewOne_AtOnce()
    {
        // Two writable servers stand for the old primary (frozen) and the new one Patroni promoted.
        using var old = PostgresServer.StartPrivate();
        using var promoted = PostgresServer.StartPrivate(password: old.Password);
        old.EnsureDatabase(_database);
        promoted.EnsureDatabase(_database);
        PostgresStorage Open(string hosts, string folder) => PostgresStorage.Open(new PostgresStoreOptions
        {
            ConnectionString = $"Host={hosts};Database={_database};Username={PostgresServer.User}",
            Password = old.Password,
            DataDirectory = Path.Combine(_folder, folder),
            WriteDeadline = TimeSpan.FromSeconds(30),
        });
        var analysis = Samples.Analysis(8);
        foreach (var (server, folder) in new[] { (old, "old"), (promoted, "promoted") })
        {
            await using var alone = Open($"127.0.0.1:{server.Port}", folder);
            await alone.InitializeAsync();
            await alone.Analyses.SaveAnalysisAsync(analysis, epoch: 1);
        }

        var store = Open($"127.0.0.1:{old.Port},127.0.0.1:{promoted.Port}", "region");
        _stores.Add(store);
        await store.InitializeAsync();
        store.Primary.Use("127.0.0.1", old.Port);
        var frozen = ProcessTree.Freeze(old.PostmasterPid);
        try
        {
            var write = store.Analyses.PutAnnotationAsync(analysis.Id, 0x30, Samples.Input("moved"), null, epoch: 2);
            await Task.Delay(1000);
            Assert.False(write.IsCompleted);

            var clock = Stopwatch.StartNew();
            store.Primary.Use("127.0.0.1", promoted.Port);
            var written = await write.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(AnnotationWriteStatus.Created, written.Status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed} after the new primary was named");
            Assert.Equal("1", promoted.Psql(_database, "SELECT COUNT(*) FROM annotations;"));
        }
        finally
        {
            ProcessTree.Thaw(frozen);
        }

        // A name the connection string does not list is not used: writes look for the primary among the listed hosts.
        store.Primary.Use("db.elsewhere.example", 5432);
        var listed = await store.Analyses.PutAnnotationAsync(analysis.Id, 0x40, Samples.Input("listed"), null, epoch: 2);
        Assert.Equal(AnnotationWriteStatus.Created, listed.Status);

        // A named primary that is down (its region's Patroni died with it, so nobody renames it): the listed hosts are
        // searched instead, and the write lands on the one that is up.
        old.Kill();
        store.Primary.Use("127.0.0.1", old.Port);
        var clock2 = Stopwatch.StartNew();
        var elsewhere = await store.Analyses.PutAnnotationAsync(analysis.Id, 0x50, Samples.Input("elsewhere"), null, epoch: 2);
        Assert.Equal(AnnotationWriteStatus.Created, elsewhere.Status);
        Assert.True(clock2.Elapsed < TimeSpan.FromSeconds(5), $"took {clock2.Elapsed}");
        Assert.Equal("1", promoted.Psql(_database, "SELECT COUNT(*) FROM annotations WHERE name = 'elsewhere';"));
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Password=secret;Database=x", "must not hold the password")]
    [InlineData("Database=x;Username=ghidra", "names no host")]
    [InlineData("Host=a;Bogus Key=1", "not a valid connection string")]
    public void BadConnectionStrings_AreRefusedWithOneLine(string connectionString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresStorage.Open(new PostgresStoreOptions
        {
            ConnectionString = connectionString,
            DataDirectory = _folder,
        }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binaries_StayInTheRegionThatReceivedThem_WhileTheAnalysisIsEverywhere()
    {
        var receiving = Open("us-east-1");
        var other = Open("eu-west-1");
        await receiving.InitializeAsync();
        await other.InitializeAsync();
        var analysis = Samples.Analysis(7);

        await receiving.Analyses.SaveAnalysisAsync(analysis, epoch: 1);

        Assert.True((await receiving.Analyses.GetAnalysisAsync(analysis.Id))!.HasBinary);
        Assert.Equal(analysis.Binary!.Value.ToArray(), await receiving.Analyses.GetBinaryAsync(analysis.Id));
        Assert.True(File.Exists(Path.Combine(_folder, "us-east-1", "binaries", analysis.Id[..2], analysis.Id)));
        Assert.False((await other.Analyses.GetAnalysisAsync(analysis.Id))!.HasBinary);
        Assert.Null(await other.Analyses.GetBinaryAsync(analysis.Id));
        Assert.Equal(0L, Server.PsqlLong(_database, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'bytea';"));

        Assert.True(await other.Analyses.DeleteAnalysisAsync(analysis.Id, epoch: 1));
        Assert.Null(await receiving.Analyses.GetBinaryAsync(analysis.Id));
    }

    [Fact]
    public async Task WritesWhoseConnectionsAreCutMeanwhile_AreRetried_AndEachIsStoredOnce()
    {
        var store = Open("a", deadline: TimeSpan.FromSeconds(20));
        await store.InitializeAsync();
        var analysis = Samples.Analysis(1);
        await store.Analyses.SaveAnalysisAsync(analysis, epoch: 1);
        using var stop = new CancellationTokenSource();
        // As a failover does: every connection of the store is cut, again and again, while it writes (this test's database only).
        var cuts = 0L;
        var cutter = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                cuts += Server.PsqlLong(_database, "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'ghidrainsight' AND datname = current_database() AND pid <> pg_backend_pid();");
                await Task.Delay(50);
            }
        });

        var writes = 0;
        for (var i = 0; i < 30; i++)
        {
            var write = await store.Analyses.PutAnnotationAsync(analysis.Id, (ulong)(i % 10), Samples.Input($"v{i}"), null, epoch: 1);
            Assert.Contains(write.Status, new[] { AnnotationWriteStatus.Created, AnnotationWriteStatus.Updated });
            writes++;
        }

        await stop.CancelAsync();
        await cutter;

        // Connections were cut; yet one change per acknowledged write and three writes per address: none lost, none doubled by a retry.
        Assert.True(cuts > 0);
        Assert.Equal(1L + writes, await store.Changes.GetLastChangeSequenceAsync());
        var annotations = await store.Analyses.GetAnnotationsAsync(analysis.Id, 100);
        Assert.Equal(Enumerable.Repeat(3L, 10), annotations.Select(a => a.Version));
        Assert.Equal(Enumerable.Range(20, 10).Select(i => $"v{i}"), annotations.Select(a => a.Name));
    }

    private static PostgresServer Server => PostgresServer.Instance;

    private IRegionStore Open(string region, string? password = null, TimeSpan? deadline = null)
    {
        var store = PostgresStorage.Open(new PostgresStoreOptions
        {
            ConnectionString = Server.ConnectionString(_database),
            Password = password ?? Server.Password,
            DataDirectory = Path.Combine(_folder, region),
            WriteDeadline = deadline ?? TimeSpan.FromSeconds(5),
        });
        _stores.Add(store);
        return store;
    }

    private static int UnusedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}
