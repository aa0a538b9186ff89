using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

public abstract class ReplicationProgressContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task Cursors_StartAtZeroNeverGoBackwardsAndSurviveReopen()
    {
        Assert.Equal(0L, await Store.GetReplicationCursorAsync("eu-west-1"));

        await Store.SetReplicationCursorAsync("eu-west-1", 5);
        await Store.SetReplicationCursorAsync("eu-west-1", 3);
        await Store.SetReplicationCursorAsync("ap-south-1", 2);
        await Harness.ReopenAsync();

        Assert.Equal(5L, await Store.GetReplicationCursorAsync("eu-west-1"));
        Assert.Equal(2L, await Store.GetReplicationCursorAsync("ap-south-1"));
        await Store.SetReplicationCursorAsync("eu-west-1", 9);
        Assert.Equal(9L, await Store.GetReplicationCursorAsync("eu-west-1"));
    }

    [Fact]
    public async Task SetReplicationCursor_WithANegativeSequence_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetReplicationCursorAsync("eu-west-1", -1));
    }

    [Fact]
    public async Task Backlog_OfAnEmptyOutbox_IsZeroWithNoOldestTime()
    {
        Assert.Equal(new ReplicationBacklog(0, null), await Store.GetBacklogAsync(0));
    }

    [Fact]
    public async Task Backlog_CountsEntriesAfterTheCursorAndDatesTheOldest()
    {
        var written = new List<DateTimeOffset>();
        for (var seed = 1; seed <= 3; seed++)
        {
            written.Add(Harness.Time.GetUtcNow());
            await Store.SaveAnalysisAsync(Samples.Analysis(seed));
            Harness.Time.Advance(TimeSpan.FromMinutes(1));
        }

        await Store.SetReplicationCursorAsync("eu-west-1", 2);
        var cursor = await Store.GetReplicationCursorAsync("eu-west-1");

        Assert.Equal(new ReplicationBacklog(3, written[0]), await Store.GetBacklogAsync(0));
        Assert.Equal(new ReplicationBacklog(2, written[1]), await Store.GetBacklogAsync(1));
        Assert.Equal(new ReplicationBacklog(1, written[2]), await Store.GetBacklogAsync(cursor));
        Assert.Equal(new ReplicationBacklog(0, null), await Store.GetBacklogAsync(3));
    }

    [Fact]
    public async Task LocalDeleteThenSave_WritesAndThenRemovesTheTombstone()
    {
        var analysis = Samples.Analysis(1);
        await Store.SaveAnalysisAsync(analysis);

        await Store.DeleteAnalysisAsync(analysis.Id);
        Assert.Equal(1, await Harness.CountInSnapshotAsync(OutboxKinds.AnalysisDeleted));
        Assert.True(await Store.SaveAnalysisAsync(analysis));

        Assert.Equal(0, await Harness.CountInSnapshotAsync(OutboxKinds.AnalysisDeleted));
    }
}
