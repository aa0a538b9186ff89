using GhidraInsight.Storage.Sqlite;
using GhidraInsight.Storage.Sqlite.Migrations;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Sqlite;

public sealed class SchemaUpgradeTests : StoreTest<SqliteProvider>
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
        Assert.Equal(6, SchemaMigrations.LatestVersion);
        Assert.Equal(0L, await Store.CountConflictsAsync());
        Assert.Equal(1L, await Store.GetLastOutboxSequenceAsync());
        var stored = await Store.GetAnalysisAsync(analysis.Id);
        Assert.Equal(("0.3.0", "pe", true, analysis.ResultJson), (stored?.EngineVersion, stored?.Format, stored?.HasBinary, stored?.ResultJson));
        Assert.Equal([1, 2], await Store.GetBinaryAsync(analysis.Id));
        var annotation = Assert.Single(await Store.GetAnnotationsAsync(analysis.Id));
        Assert.Equal((0x401000UL, "main", 4L, 0L), (annotation.Address, annotation.Name, annotation.Version, annotation.BaseVersion));
        Assert.Equal([(1L, 0L)], AnnotationAssert.Pairs(annotation));
        Assert.Equal(new ReplicationBacklog(1, DateTimeOffset.FromUnixTimeMilliseconds(1700000000000)), await Store.GetBacklogAsync(0));

        await Store.SetReplicationCursorAsync("eu-west-1", 1);
        Assert.True(await Store.DeleteAnalysisAsync(analysis.Id));
        Assert.Equal(1L, await Harness.CountRowsAsync("tombstones"));
        Assert.Equal(2L, (await Harness.ReadWholeOutboxAsync())[^1].Sequence);
        Assert.Equal(1L, await Store.GetReplicationCursorAsync("eu-west-1"));
    }

    [Fact]
    public async Task AVersionThreeDatabase_UpgradesToLineage_WithTheSingleSegmentEpochZeroForExistingRowsAndConflicts()
    {
        var analysis = Samples.Analysis(1);
        await CreateDatabaseAsync(InitialSchemaMigration.Instance, ReplicationSchemaMigration.Instance, ConflictSchemaMigration.Instance);
        Assert.Equal(0L, await Harness.ScalarAsync("SELECT COUNT(*) FROM pragma_table_info('annotations') WHERE name = 'base_version';"));
        await Harness.ScalarAsync($"""
            INSERT INTO analyses (id, engine_version, format, arch, size, created_at, result_json)
            VALUES ('{analysis.Id}', '0.3.0', 'pe', 'x86', 64, 1700000000000, '{analysis.ResultJson}');
            """);
        await Harness.ScalarAsync($"""
            INSERT INTO annotations (analysis_id, address, name, comment, tags_json, version, epoch, updated_at)
            VALUES ('{analysis.Id}', 4198400, 'main', NULL, '["entry"]', 6, 2, 1700000000001);
            """);
        // A conflict recorded by the previous build: its lost JSON has no base_version.
        var lostJson = $$"""{"analysis_id":"{{analysis.Id}}","address":"0x401000","name":"old","comment":null,"tags":[],"version":5,"epoch":1,"updated_at":1700000000000}""";
        await Harness.ScalarAsync($"""
            INSERT INTO conflicts (kind, analysis_id, address, lost_epoch, lost_version, lost_json, won_epoch, won_version, reported_by, recorded_at)
            VALUES ('annotation', '{analysis.Id}', 4198400, 1, 5, '{lostJson}', 2, 6, 'eu-west-1', 1700000000002);
            """);

        await Harness.ReopenAsync();

        Assert.Equal(6L, await Harness.ScalarAsync("SELECT MAX(version) FROM schema_version;"));
        Assert.Equal(0L, await Harness.ScalarAsync("SELECT base_version FROM annotations;"));
        Assert.Equal(string.Empty, await Harness.ScalarAsync("SELECT lineage FROM annotations;"));
        var annotation = Assert.Single(await Store.GetAnnotationsAsync(analysis.Id));
        Assert.Equal(("main", 6L, 2L, 0L), (annotation.Name, annotation.Version, annotation.Epoch, annotation.BaseVersion));
        Assert.Equal(["entry"], annotation.Tags);
        Assert.Equal([(2L, 0L)], AnnotationAssert.Pairs(annotation));
        var conflict = Assert.Single(await Store.ListConflictsAsync(10));
        Assert.Equal(("old", 5L, 1L, 0L), (conflict.Lost.Name, conflict.Lost.Version, conflict.Lost.Epoch, conflict.Lost.BaseVersion));
        Assert.Equal([(1L, 0L)], AnnotationAssert.Pairs(conflict.Lost));

        // The epoch that wrote the upgraded row carries its segment on; the next epoch adds one from the version it found.
        Harness.Epoch = 2;
        var carried = (await Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("carried"), 6)).Current!;
        Harness.Epoch = 3;
        var next = (await Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("next"), 7)).Current!;
        Assert.Equal((7L, 0L), (carried.Version, carried.BaseVersion));
        Assert.Equal((8L, 7L), (next.Version, next.BaseVersion));
        Assert.Equal([(2L, 0L)], AnnotationAssert.Pairs(carried));
        Assert.Equal([(2L, 0L), (3L, 7L)], AnnotationAssert.Pairs(next));
        Assert.Equal(7L, await Harness.ScalarAsync("SELECT base_version FROM annotations;"));
        Assert.Equal("[[2,0],[3,7]]", await Harness.ScalarAsync("SELECT lineage FROM annotations;"));
    }

    [Fact]
    public async Task AVersionFiveDatabase_UpgradesToNames_WithNoNameForExistingAnalyses_WhichANamingThenGives()
    {
        var analysis = Samples.Analysis(1);
        await CreateDatabaseAsync(InitialSchemaMigration.Instance, ReplicationSchemaMigration.Instance, ConflictSchemaMigration.Instance,
            AnnotationLineageMigration.Instance, AuditSchemaMigration.Instance);
        Assert.Equal(0L, await Harness.ScalarAsync("SELECT COUNT(*) FROM pragma_table_info('analyses') WHERE name = 'name';"));
        await Harness.ScalarAsync($"""
            INSERT INTO analyses (id, engine_version, format, arch, size, created_at, result_json)
            VALUES ('{analysis.Id}', '0.3.1', 'elf', 'x86_64', 64, 1700000000000, '{analysis.ResultJson}');
            """);

        await Harness.ReopenAsync();

        Assert.Equal(6L, await Harness.ScalarAsync("SELECT MAX(version) FROM schema_version;"));
        Assert.Null((await Store.GetAnalysisAsync(analysis.Id))!.Name);
        Assert.Null(Assert.Single(await Store.ListAnalysesAsync(10, null)).Name);
        Assert.True(await Store.NameAnalysisAsync(analysis.Id, "upgraded"));
        Assert.Equal("upgraded", Assert.Single(await Store.ListAnalysesAsync(10, null, "UPGR")).Name);
    }

    /// <summary>Replaces the harness's database with one that only migration 1 ever touched, as a released build left it.</summary>
    private async Task CreateVersionOneDatabaseAsync()
    {
        await CreateDatabaseAsync(InitialSchemaMigration.Instance);
        Assert.Equal(0L, await Harness.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'tombstones';"));
    }

    /// <summary>Replaces the harness's database with one that only the given migrations ever touched.</summary>
    private async Task CreateDatabaseAsync(params Migration[] migrations)
    {
        await Store.DisposeAsync();
        Directory.Delete(Harness.DataDirectory, recursive: true);
        var connections = new SqliteConnectionFactory(Harness.DataDirectory);
        var version = await new MigrationRunner(connections, Harness.Time, migrations).RunAsync();
        connections.ClearPools();
        Assert.Equal(migrations[^1].Version, version);
    }
}
