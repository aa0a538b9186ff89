using GhidraInsight.Storage.Sqlite;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Sqlite;

public sealed class ConnectionSettingsTests : StoreTest<SqliteProvider>
{
    [Theory]
    [InlineData("PRAGMA synchronous;", 2L)]
    [InlineData("PRAGMA foreign_keys;", 1L)]
    [InlineData("PRAGMA busy_timeout;", 5000L)]
    public async Task EveryConnection_UsesTheDurableAndSafeSettings(string pragma, long expected)
    {
        var factory = new SqliteConnectionFactory(Harness.DataDirectory);

        // Twice: the second connection comes from the pool and must keep the settings.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var connection = await factory.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = pragma;
            Assert.Equal(expected, await command.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task OpeningForOperations_WhenTheFileIsMissing_FailsInsteadOfCreatingAnEmptyDatabase()
    {
        var factory = new SqliteConnectionFactory(Path.Combine(Harness.DataDirectory, "elsewhere"));

        await Assert.ThrowsAnyAsync<Exception>(() => factory.OpenAsync());

        Assert.False(File.Exists(factory.DatabasePath));
    }
}
