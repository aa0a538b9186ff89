using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Postgres;

/// <summary>
/// Replication lag from PostgreSQL itself, on a real primary and a real streaming standby (<c>pg_basebackup -R</c>): the primary
/// names its standby (<c>pg_stat_replication</c>), the standby measures its own replay (<c>pg_last_xact_replay_timestamp()</c>)
/// and says when it no longer streams.
/// </summary>
public sealed class PostgresReplicationStatusTests : IAsyncLifetime
{
    private const string Database = "ghidrainsight";
    private readonly string _folder = Directory.CreateTempSubdirectory("gi-pg-replication-").FullName;
    private PostgresServer _primary = null!;
    private PostgresServer _standby = null!;
    private PostgresStorage _atPrimary = null!;
    private PostgresStorage _atStandby = null!;

    public async Task InitializeAsync()
    {
        _primary = PostgresServer.StartPrivate();
        _primary.EnsureDatabase(Database);
        _atPrimary = Open(_primary, "primary");
        await _atPrimary.InitializeAsync();
        _standby = _primary.StartStandby();
        _atStandby = Open(_standby, "standby");
        await _atStandby.InitializeAsync();
    }

    [Fact]
    public async Task ThePrimaryReportsItsStandby_TheStandbyItsOwnReplay_AndAPausedReplayShowsAsLag()
    {
        var atPrimary = await EventuallyAsync(_atPrimary, s => s.Standbys.Count == 1, "the primary naming its standby");
        Assert.Null(atPrimary.Replay);
        var standby = Assert.Single(atPrimary.Standbys).Value;
        Assert.False(standby.Synchronous);

        var caughtUp = await EventuallyAsync(_atStandby, s => s.Replay is { Streaming: true, LagMs: 0, BytesBehind: 0 }, "the standby streaming, caught up");
        Assert.Empty(caughtUp.Standbys);

        // Replay paused while the primary writes: the standby receives WAL it does not replay, and says how old its data is.
        _standby.Psql(Database, "SELECT pg_wal_replay_pause();");
        var before = DateTimeOffset.UtcNow;
        Assert.True(await _atPrimary.Analyses.SaveAnalysisAsync(Samples.Analysis(1), epoch: 1));
        await Task.Delay(500);
        var behind = await EventuallyAsync(_atStandby, s => s.Replay is { BytesBehind: > 0, LagMs: >= 500 }, "the paused standby behind");
        Assert.True(behind.Replay!.Streaming);
        Assert.True(behind.Replay.LagMs < (DateTimeOffset.UtcNow - before).TotalMilliseconds + 60_000, $"{behind.Replay.LagMs} ms");
        var atPrimaryBehind = await EventuallyAsync(_atPrimary, s => s.Standbys.Values.Single().BytesBehind > 0, "the primary seeing the standby behind");
        Assert.True(atPrimaryBehind.Standbys.Values.Single().BytesBehind > 0);

        _standby.Psql(Database, "SELECT pg_wal_replay_resume();");
        await EventuallyAsync(_atStandby, s => s.Replay is { Streaming: true, LagMs: 0, BytesBehind: 0 }, "the standby caught up again");
        Assert.NotNull(await _atStandby.Analyses.GetAnalysisAsync(Samples.Analysis(1).Id));
    }

    [Fact]
    public async Task AStandbyWhosePrimaryIsGone_SaysItDoesNotStream()
    {
        await EventuallyAsync(_atStandby, s => s.Replay is { Streaming: true }, "the standby streaming");
        _primary.Kill();

        var alone = await EventuallyAsync(_atStandby, s => s.Replay is { Streaming: false }, "the standby no longer streaming");
        Assert.Empty(alone.Standbys);
    }

    private PostgresStorage Open(PostgresServer readFrom, string region) => PostgresStorage.Open(new PostgresStoreOptions
    {
        ConnectionString = $"Host=127.0.0.1:{_primary.Port};Database={Database};Username={PostgresServer.User};Timeout=5",
        LocalHost = $"127.0.0.1:{readFrom.Port}",
        Password = _primary.Password,
        DataDirectory = Path.Combine(_folder, region),
        WriteDeadline = TimeSpan.FromSeconds(5),
    });

    private static async Task<DatabaseReplicationState> EventuallyAsync(PostgresStorage store, Func<DatabaseReplicationState, bool> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        DatabaseReplicationState? last = null;
        while (DateTime.UtcNow < until)
        {
            last = await store.Replication.ReadAsync();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"not within 30 s: {what}; last: {last}");
        return last!;
    }

    public async Task DisposeAsync()
    {
        await _atStandby.DisposeAsync();
        await _atPrimary.DisposeAsync();
        _standby.Dispose();
        _primary.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
