using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Tests.Support;
using GhidraInsight.Storage;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Replication;

/// <summary>A target whose next entries were pruned: asked how far it really is, and resynced from a snapshot only when needed.</summary>
public sealed class ReplicatorResyncTests : IAsyncLifetime
{
    private const string Secret = "replication-secret";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeReplicationLog _log;
    private readonly CapturingLogger<Replicator> _logger = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private Task _loop = Task.CompletedTask;

    public ReplicatorResyncTests()
    {
        _log = new FakeReplicationLog(_time);
        _http = new HttpClient(new RegionSigningHandler(new RegionRequestSigner("a", Secret, _time)) { InnerHandler = new SocketsHttpHandler() });
    }

    [Fact]
    public async Task ATargetMissingPrunedEntries_IsResyncedFromTheSnapshot_ThenStreamedFromTheHeadItBeganAt()
    {
        await using var target = await ReplicationTarget.StartAsync(_time, Secret);
        for (var i = 0; i < 10; i++)
        {
            _log.Append($"id{i}");
        }
        await _log.PruneOutboxAsync(6, 100);
        _log.State.AddRange(Enumerable.Range(0, 250).Select(i => new OutboxEntry(0, OutboxKinds.AnalysisStored, $"state{i}", "{}", 1, _time.GetUtcNow())));

        var replicator = Start(target.Address);
        await WaitUntilAsync(() => _log.GetReplicationCursorAsync("b").Result == 10);

        Assert.Equal(250, target.Store.SnapshotApplied.Count);
        Assert.Equal(_log.State.Select(e => e.Key), target.Store.SnapshotApplied.Select(a => a.Entry.Key));
        Assert.Equal(10, await target.Store.GetHighWaterMarkAsync("a"));
        Assert.Empty(target.Store.Applied);
        Assert.Equal(1, replicator.Resyncs);
        Assert.Equal(1, _logger.Count(1030));

        _log.Append("after");
        replicator.Notify();
        await WaitUntilAsync(() => target.Store.Applied.Count == 1);
        Assert.Equal(11, target.Store.Applied[0].Entry.Sequence);
    }

    [Fact]
    public async Task ATargetThatAlreadyAppliedWhatWasPruned_IsNotResynced_OnlyStreamedTheRest()
    {
        await using var target = await ReplicationTarget.StartAsync(_time, Secret);
        var early = Enumerable.Range(0, 6).Select(i => _log.Append($"id{i}")).ToList();
        for (var i = 6; i < 10; i++)
        {
            _log.Append($"id{i}");
        }
        // It applied 1..6, but this region's durable cursor never recorded that (it is persisted lazily) before they were pruned.
        await target.Store.ApplyReplicatedAsync("a", early);
        await _log.PruneOutboxAsync(6, 100);

        var replicator = Start(target.Address);
        await WaitUntilAsync(() => _log.GetReplicationCursorAsync("b").Result == 10);

        Assert.Empty(target.Store.SnapshotApplied);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), target.Store.Applied.Select(a => a.Entry.Sequence));
        Assert.Equal(0, replicator.Resyncs);
    }

    [Fact]
    public async Task AnEntryCommittedBetweenTheReplicatorsQueries_IsStreamed_NotMistakenForPruning()
    {
        await using var target = await ReplicationTarget.StartAsync(_time, Secret);
        for (var i = 0; i < 3; i++)
        {
            _log.Append($"id{i}");
        }
        var replicator = Start(target.Address);
        await WaitUntilAsync(() => target.Store.Applied.Count == 3);

        // A write commits just after the replicator found nothing new, before it asks for the head: as under steady writes.
        var landed = 0;
        _log.AfterRead = read =>
        {
            if (read.Count == 0 && Interlocked.Exchange(ref landed, 1) == 0)
            {
                _log.Append("meanwhile");
                replicator.Notify();
            }
        };
        replicator.Notify();
        await WaitUntilAsync(() => _log.GetReplicationCursorAsync("b").Result == 4);

        Assert.Equal(1, landed);
        Assert.Equal(0, replicator.Resyncs);
        Assert.Equal(0, _logger.Count(1030));
        Assert.Empty(target.Store.SnapshotApplied);
        Assert.Equal([1L, 2, 3, 4], target.Store.Applied.Select(a => a.Entry.Sequence));
    }

    private Replicator Start(Uri endpoint)
    {
        var replicator = new Replicator("a", "b", endpoint, _log, _http, _time, _logger);
        _loop = Task.Run(() => replicator.RunAsync(_stop.Token));
        return replicator;
    }

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 20 s");
            Assert.False(_loop.IsCompleted, "replication loop ended");
            await Task.Delay(10);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _http.Dispose();
    }
}
