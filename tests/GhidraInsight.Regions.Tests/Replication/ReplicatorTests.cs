using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Authentication;
using GhidraInsight.Regions.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Replication;

public sealed class ReplicatorTests : IAsyncLifetime
{
    private const string Secret = "replication-secret";
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeReplicationLog _store;
    private readonly CapturingLogger<Replicator> _logger = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private Task _loop = Task.CompletedTask;

    public ReplicatorTests()
    {
        _store = new FakeReplicationLog(_time);
        _http = new HttpClient(new RegionSigningHandler(new RegionRequestSigner("a", Secret, _time)) { InnerHandler = new SocketsHttpHandler() })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    [Fact]
    public async Task Replicate_DeliversEverythingInOrder_AndAdvancesTheCursorToTheAcknowledgement()
    {
        await using var target = await ReplicationTarget.StartAsync(_time, Secret);
        for (var i = 0; i < 620; i++)
        {
            _store.Append($"id{i}");
        }

        var replicator = Start(target.Address);
        await WaitUntilAsync(() => _store.GetReplicationCursorAsync("b").Result == 620);

        Assert.Equal(Enumerable.Range(1, 620).Select(i => (long)i), target.Store.Applied.Select(a => a.Entry.Sequence));
        Assert.All(target.Store.Applied, a => Assert.Equal("a", a.Origin));
        Assert.Equal([500, 120], target.Batches.Select(b => b.Count));
        Assert.Equal(0, target.RefusedSignatures);
        Assert.Equal(new ReplicationTargetStatus(0, 0, null, 620, false), await StatusAsync(replicator));
    }

    [Fact]
    public async Task Replicate_WhenNotified_DeliversANewWriteWithoutWaitingForThePoll()
    {
        await using var target = await ReplicationTarget.StartAsync(_time, Secret);
        var replicator = Start(target.Address);
        await WaitUntilAsync(() => target.Requests == 0 && replicator.LastError is null);

        var next = target.NextRequestAsync();
        _store.Append("late");
        replicator.Notify();
        await next;

        Assert.Equal("late", Assert.Single(target.Store.Applied).Entry.Key);
    }

    [Fact]
    public async Task Replicate_WhenTargetIsDown_KeepsEntriesInOutbox_ReportsLag_AndDeliversWhenItReturns()
    {
        await using var target = await ReplicationTarget.StartAsync(_time, Secret);
        target.FailWith = 503;
        _store.Append("x");
        _time.Advance(TimeSpan.FromSeconds(2));
        _store.Append("y");
        _time.Advance(TimeSpan.FromSeconds(3));
        var firstRequest = target.NextRequestAsync();

        var replicator = Start(target.Address);
        await firstRequest;
        await _logger.WaitForAsync(1003);

        Assert.Equal(0, await _store.GetReplicationCursorAsync("b"));
        var down = await StatusAsync(replicator);
        Assert.Equal(2, down.Pending);
        Assert.Equal(5000, down.LagMs);
        Assert.Contains("503", down.LastError, StringComparison.Ordinal);

        // Retries happen, each after a backoff (at most 5 s of the fake clock), and are logged once, not per retry.
        await WaitUntilAsync(() => target.Requests >= 3, advance: TimeSpan.FromSeconds(5));
        Assert.Empty(target.Store.Applied);
        Assert.Equal(1, _logger.Count(1003));

        target.FailWith = null;
        await WaitUntilAsync(() => _store.GetReplicationCursorAsync("b").Result == 2, advance: TimeSpan.FromSeconds(5));
        Assert.Equal(["x", "y"], target.Store.Applied.Select(a => a.Entry.Key));
        await _logger.WaitForAsync(1004);
        Assert.Equal(1, _logger.Count(1003));
        Assert.Equal(new ReplicationTargetStatus(0, 0, null, 2, false), await StatusAsync(replicator));
    }

    [Fact]
    public async Task Replicate_WhenNothingListens_KeepsTheCursorAndReportsTheError()
    {
        var closed = await LoopbackServer.ClosedAddressAsync();
        _store.Append("x");

        var replicator = Start(closed);
        await _logger.WaitForAsync(1003);

        Assert.Equal(0, await _store.GetReplicationCursorAsync("b"));
        var status = await StatusAsync(replicator);
        Assert.Equal(1, status.Pending);
        Assert.NotNull(status.LastError);
        Assert.Equal(0, status.SentTotal);
    }

    [Fact]
    public async Task WaitForDelivery_ReturnsTrueOnceEveryTargetAcknowledgedEverythingWrittenSoFar()
    {
        await using var target = await ReplicationTarget.StartAsync(_time, Secret);
        var replicator = Start(target.Address);
        var service = Service(replicator);
        _store.Append("x");
        _store.Append("y");

        var delivered = await service.WaitForDeliveryAsync(TimeSpan.FromSeconds(30));

        Assert.True(delivered["b"]);
        Assert.Equal(2, await _store.GetReplicationCursorAsync("b"));
    }

    [Fact]
    public async Task WaitForDelivery_ReturnsFalseWhenTheTimeoutPassesFirst()
    {
        await using var target = await ReplicationTarget.StartAsync(_time, Secret);
        target.FailWith = 503;
        var replicator = Start(target.Address);
        var service = Service(replicator);
        _store.Append("x");

        var wait = service.WaitForDeliveryAsync(TimeSpan.FromSeconds(2));
        await target.NextRequestAsync();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.False((await wait.WaitAsync(TimeSpan.FromSeconds(20)))["b"]);
    }

    private ReplicationService Service(Replicator replicator) =>
        new([replicator], _store, new TestOptionsMonitor<GhidraInsight.Configuration.RegionOptions>(new()), _time);

    private async Task<ReplicationTargetStatus> StatusAsync(Replicator replicator) => (await Service(replicator).StatusAsync())[replicator.Target];

    private Replicator Start(Uri endpoint)
    {
        var replicator = new Replicator("a", "b", endpoint, _store, _http, _time, _logger);
        _loop = Task.Run(() => replicator.RunAsync(_stop.Token));
        return replicator;
    }

    /// <summary>Waits (bounded) for a condition the replicator reaches on its own; optionally moves the fake clock to release backoff.</summary>
    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan? advance = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 20 s");
            Assert.False(_loop.IsCompleted, "replication loop ended");
            if (advance is { } step)
            {
                _time.Advance(step);
            }

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
