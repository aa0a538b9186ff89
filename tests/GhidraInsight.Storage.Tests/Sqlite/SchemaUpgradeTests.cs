using GhidraInsight.Storage.Sqlite;
using GhidraInsight.Storage.Sqlite.Migrations;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Sqlite;

public sealed class SchemaUpgradeTests : StoreTest
{
    [Fact]
    public async Task AVersionOneDatabase_UpgradesInPlaceAndKeepsItsData()
    {
        var analysis = Samples.Analysis(1);
        await CreateVersionOneDatabaseAsync();
        await Harness.ScalarAsync($"""
            INSERT INTO analyses (id, engine_version, format, arch, size, created_at, result_json)
            VALUES ('{analysis.Id}', '0.3.0', 'pe', 'x86', 64, 1700000000000, '{analysis.ResultJson}');
            """);
        await Harness.ScalarAsync($"INSERT INTO binaries (id, data) VALUES ('{analysis.Id}', x'0102');");
        await Harness.ScalarAsync($"""
            INSERT INTO annotations (analysis_id, address, name, comment, tags_json, version, epoch, updated_at)
            VALUES ('{analysis.Id}', 4198400, 'main', NULL, '["entry"]', 4, 1, 1700000000001);
            """);
        await Harness.ScalarAsync("INSERT INTO outbox (kind, key, payload, epoch, created_at) VALUES ('analysis.stored', 'k', '{}', 1, 1700000000000);");

        await Harness.ReopenAsync();

        Assert.Equal((long)SchemaMigrations.LatestVersion, await Harness.ScalarAsync("SELECT MAX(version) FROM schema_version;"));
        Assert.Equal(3, SchemaMigrations.LatestVersion);
        Assert.Equal(0L, await Store.CountConflictsAsync());
        Assert.Equal(1L, await Store.GetLastOutboxSequenceAsync());
        var stored = await Store.GetAnalysisAsync(analysis.Id);
        Assert.Equal(("0.3.0", "pe", true, analysis.ResultJson), (stored?.EngineVersion, stored?.Format, stored?.HasBinary, stored?.ResultJson));
        Assert.Equal([1, 2], await Store.GetBinaryAsync(analysis.Id));
        var annotation = Assert.Single(await Store.GetAnnotationsAsync(analysis.Id));
        Assert.Equal((0x401000UL, "main", 4L), (annotation.Address, annotation.Name, annotation.Version));
        Assert.Equal(new ReplicationBacklog(1, DateTimeOffset.FromUnixTimeMilliseconds(1700000000000)), await Store.GetBacklogAsync(0));

        await Store.SetReplicationCursorAsync("eu-west-1", 1);
        Assert.True(await Store.DeleteAnalysisAsync(analysis.Id));
        Assert.Equal(1L, await Harness.CountRowsAsync("tombstones"));
        Assert.Equal(2L, (await Harness.ReadWholeOutboxAsync())[^1].Sequence);
        Assert.Equal(1L, await Store.GetReplicationCursorAsync("eu-west-1"));
    }

    /// <summary>Replaces the harness's database with one that only migration 1 ever touched, as a released build left it.</summary>
    private async Task CreateVersionOneDatabaseAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(Harness.DataDirectory, recursive: true);
        var connections = new SqliteConnectionFactory(Harness.DataDirectory);
        var version = await new MigrationRunner(connections, Harness.Time, [InitialSchemaMigration.Instance]).RunAsync();
        connections.ClearPools();
        Assert.Equal(1, version);
        Assert.Equal(0L, await Harness.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'tombstones';"));
    }
}
