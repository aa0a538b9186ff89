using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Sqlite;

public sealed class HealthTests : StoreTest<SqliteProvider>
{
    [Fact]
    public async Task CheckHealth_OnAWorkingStore_Succeeds()
    {
        await Store.SaveAnalysisAsync(Samples.Analysis(1));

        await Store.CheckHealthAsync();
    }

    [Fact]
    public async Task CheckHealth_AfterTheDatabaseFileIsDeleted_Throws()
    {
        await Store.SaveAnalysisAsync(Samples.Analysis(1));
        await Store.CheckHealthAsync();

        foreach (var file in Directory.GetFiles(Harness.DataDirectory))
        {
            File.Delete(file);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CheckHealthAsync());
        Assert.Contains(Harness.DatabasePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealth_AfterTheDataFolderIsDeleted_Throws()
    {
        Directory.Delete(Harness.DataDirectory, recursive: true);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CheckHealthAsync());
    }
}
