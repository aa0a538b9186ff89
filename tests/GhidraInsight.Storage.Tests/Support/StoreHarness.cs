using Microsoft.Data.Sqlite;

namespace GhidraInsight.Storage.Tests.Support;

/// <summary>A real store of one implementation (SQLite: a real file) in its own temporary folder, deleted afterwards.</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    public const long DefaultMaxBinaryBytes = 1 << 20;

    private readonly IStoreProvider _provider;

    private StoreHarness(IStoreProvider provider, string dataDirectory, long maxBinaryBytes)
    {
        _provider = provider;
        DataDirectory = dataDirectory;
        MaxBinaryBytes = maxBinaryBytes;
        Store = Open();
    }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "ghidrainsight.db");

    public long MaxBinaryBytes { get; }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The primary epoch <see cref="Store"/> passes with its writes; a test raises it to simulate a failover.</summary>
    public long Epoch { get; set; } = 1;

    public TestStore Store { get; private set; }

    /// <summary>A harness whose data folder does not exist yet (the store must create it).</summary>
    public static async Task<StoreHarness> StartAsync(IStoreProvider provider, long maxBinaryBytes = DefaultMaxBinaryBytes)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gi-storage-tests", Guid.NewGuid().ToString("N"), "region");
        var harness = new StoreHarness(provider, directory, maxBinaryBytes);
        await harness.Store.InitializeAsync();
        return harness;
    }

    /// <summary>A second, independent store on the same folder (as another process would open it).</summary>
    public TestStore Open() => new(_provider.Open(DataDirectory, MaxBinaryBytes, Time), () => Epoch);

    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = Open();
        await Store.InitializeAsync();
    }

    /// <summary>SQLite only: runs SQL on a private, unpooled connection to inspect or tamper with the file directly.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public async Task<long> CountRowsAsync(string table) => (long)(await ScalarAsync($"SELECT COUNT(*) FROM {table};"))!;

    /// <summary>The store's whole state as the replication log's snapshot shows it (analyses, annotations, tombstones).</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ReadWholeSnapshotAsync()
    {
        var entries = new List<OutboxEntry>();
        string? position = null;
        do
        {
            var page = await Store.Replication.ReadSnapshotAsync(position, 100);
            entries.AddRange(page.Entries);
            position = page.Next;
        }
        while (position is not null);
        return entries;
    }

    /// <summary>How many entries of <paramref name="kind"/> the snapshot holds: analyses stored, annotations, or tombstones.</summary>
    public async Task<int> CountInSnapshotAsync(string kind) => (await ReadWholeSnapshotAsync()).Count(e => e.Kind == kind);

    public async Task<IReadOnlyList<OutboxEntry>> ReadWholeOutboxAsync()
    {
        var entries = new List<OutboxEntry>();
        while (true)
        {
            var batch = await Store.ReadOutboxAsync(entries.Count == 0 ? 0 : entries[^1].Sequence, 1000);
            if (batch.Count == 0)
            {
                return entries;
            }

            entries.AddRange(batch);
        }
    }

    /// <summary>Every write the change feed has recorded, in order.</summary>
    public async Task<IReadOnlyList<StoreChange>> ReadWholeChangesAsync()
    {
        var changes = new List<StoreChange>();
        while (true)
        {
            var batch = await Store.Changes.ReadChangesAsync(changes.Count == 0 ? 0 : changes[^1].Sequence, 1000);
            if (batch.Count == 0)
            {
                return changes;
            }

            changes.AddRange(batch);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        var root = Path.GetDirectoryName(DataDirectory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
