using GhidraInsight.Storage.Sqlite.Migrations;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Sqlite;

public sealed class SchemaMigrationTests : StoreTest<SqliteProvider>
{
    [Fact]
    public async Task Initialize_CreatesTheFolderAndAWalDatabaseFile()
    {
        Assert.True(File.Exists(Harness.DatabasePath));
        Assert.Equal("wal", await Harness.ScalarAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Initialize_RunTwiceAndAfterReopen_AppliesEachMigrationOnce()
    {
        await Store.InitializeAsync();
        await Harness.ReopenAsync();

        Assert.Equal((long)SchemaMigrations.All.Count, await Harness.CountRowsAsync("schema_version"));
        Assert.Equal((long)SchemaMigrations.LatestVersion, await Harness.ScalarAsync("SELECT MAX(version) FROM schema_version;"));
    }

    [Fact]
    public async Task Reopen_AfterDispose_FindsEverythingWritten()
    {
        var analysis = Samples.Analysis(1);
        await Store.SaveAnalysisAsync(analysis);
        await Store.PutAnnotationAsync(analysis.Id, 0xffffffffffff0000, Samples.Input("high", "tag"), null);
        var outbox = await Harness.ReadWholeOutboxAsync();

        await Harness.ReopenAsync();

        Assert.NotNull(await Store.GetAnalysisAsync(analysis.Id));
        Assert.Equal(analysis.Binary!.Value.ToArray(), await Store.GetBinaryAsync(analysis.Id));
        var annotation = Assert.Single(await Store.GetAnnotationsAsync(analysis.Id));
        Assert.Equal((0xffffffffffff0000UL, "high", 1L), (annotation.Address, annotation.Name, annotation.Version));
        Assert.Equal(outbox, await Harness.ReadWholeOutboxAsync());
        Assert.True(await Store.SaveAnalysisAsync(Samples.Analysis(2)));
        Assert.Equal(3, (await Harness.ReadWholeOutboxAsync())[^1].Sequence);
    }

    [Fact]
    public async Task Initialize_OnADatabaseFromANewerVersion_RefusesWithAClearMessage()
    {
        await Store.DisposeAsync();
        await Harness.ScalarAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'from the future', 0);");
        await using var newer = Harness.Open();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync());

        Assert.Contains("schema version 999", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_FromTwoStoresOnTheSameFolderAtOnce_LeavesOneSchema()
    {
        await Store.DisposeAsync();
        Directory.Delete(Harness.DataDirectory, recursive: true);
        await using var first = Harness.Open();
        await using var second = Harness.Open();

        await Task.WhenAll(Task.Run(() => first.InitializeAsync()), Task.Run(() => second.InitializeAsync()));

        Assert.Equal((long)SchemaMigrations.All.Count, await Harness.CountRowsAsync("schema_version"));
        Assert.True(await first.SaveAnalysisAsync(Samples.Analysis(1)));
        Assert.False(await second.SaveAnalysisAsync(Samples.Analysis(1)));
    }

    [Fact]
    public async Task Operations_BeforeInitialize_FailWithAClearMessage()
    {
        await using var uninitialized = Harness.Open();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => uninitialized.CountAnalysesAsync());

        Assert.Contains("InitializeAsync", error.Message, StringComparison.Ordinal);
    }
}
