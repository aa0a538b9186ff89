using GhidraInsight.Configuration;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace GhidraInsight.Regions.Tests.Replication;

public sealed class OutboxPrunerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeReplicationLog _log;
    private readonly CapturingLogger<OutboxPruner> _logger = new();
    private readonly HttpClient _http = new();

    public OutboxPrunerTests() => _log = new FakeReplicationLog(_time);

    [Fact]
    public async Task Prune_RemovesExactlyWhatEveryTargetDurablyAcknowledged()
    {
        Append(10);
        await _log.SetReplicationCursorAsync("b", 5);
        await _log.SetReplicationCursorAsync("c", 3);

        Assert.Equal(3, await Pruner(new RegionOptions()).PruneOnceAsync(default));

        Assert.Equal(7, _log.OutboxCount);
        Assert.Equal(10, await _log.GetLastOutboxSequenceAsync());
        Assert.Equal(0, _logger.Count(1032));
    }

    [Fact]
    public async Task ATargetBeyondTheSizeLimit_NoLongerHoldsEntriesBack_AndIsReportedOnceUntilItIsBack()
    {
        Append(10);
        await _log.SetReplicationCursorAsync("b", 10);
        var pruner = Pruner(new RegionOptions { OutboxMaxEntries = 4 });

        Assert.Equal(10, await pruner.PruneOnceAsync(default));
        await pruner.PruneOnceAsync(default);

        Assert.Equal(0, _log.OutboxCount);
        Assert.Equal(1, _logger.Count(1032));
        // Now missing pruned entries, it stays past retention until it is resynced, even though nothing is pending any more.
        Assert.True((await Service(new RegionOptions { OutboxMaxEntries = 4 }).StatusAsync())["c"].PastRetention);
        await _log.SetReplicationCursorAsync("c", 10);
        await pruner.PruneOnceAsync(default);
        Assert.Equal(1, _logger.Count(1033));
    }

    [Fact]
    public async Task ATargetBehindLongerThanTheRetention_IsPastIt_EvenWithFewEntriesPending()
    {
        Append(2);
        await _log.SetReplicationCursorAsync("b", 2);
        var options = new RegionOptions { OutboxRetentionSeconds = 60 };
        Assert.False((await Service(options).StatusAsync())["c"].PastRetention);
        Assert.Equal(0, await Pruner(options).PruneOnceAsync(default));

        _time.Advance(TimeSpan.FromSeconds(61));

        Assert.True((await Service(options).StatusAsync())["c"].PastRetention);
        Assert.Equal(2, await Pruner(options).PruneOnceAsync(default));
    }

    private void Append(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _log.Append($"id{i}");
        }
    }

    private ReplicationService Service(RegionOptions options) => new(
        [Replicator("b"), Replicator("c")], _log, new TestOptionsMonitor<RegionOptions>(options), _time);

    private OutboxPruner Pruner(RegionOptions options) => new(Service(options), _log, _time, _logger);

    private Replicator Replicator(string target) =>
        new("a", target, new Uri("http://127.0.0.1:1"), _log, _http, _time, new CapturingLogger<Replicator>());

    public void Dispose() => _http.Dispose();
}
