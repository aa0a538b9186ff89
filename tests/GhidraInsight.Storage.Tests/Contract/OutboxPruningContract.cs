using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>Pruning removes acknowledged entries in bounded batches and never disturbs what comes after them.</summary>
public abstract class OutboxPruningContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task Prune_RemovesAtMostTheBatchOfTheOldestEntries_UpToTheGivenSequence()
    {
        await WriteAsync(10);

        Assert.Equal(3, await Store.Replication.PruneOutboxAsync(8, 3));
        Assert.Equal(4L, (await Harness.ReadWholeOutboxAsync())[0].Sequence);
        Assert.Equal(5, await Store.Replication.PruneOutboxAsync(8, 100));
        Assert.Equal(0, await Store.Replication.PruneOutboxAsync(8, 100));

        Assert.Equal([9L, 10L], (await Harness.ReadWholeOutboxAsync()).Select(e => e.Sequence));
        Assert.Equal(10L, await Store.GetLastOutboxSequenceAsync());
    }

    [Fact]
    public async Task AfterPruningEverything_NewWritesContinueTheSequence_AndTheBacklogCountsOnlyWhatIsLeft()
    {
        await WriteAsync(4);
        Assert.Equal(4, await Store.Replication.PruneOutboxAsync(100, 100));

        await WriteAsync(2, firstSeed: 100);

        Assert.Equal([5L, 6L], (await Harness.ReadWholeOutboxAsync()).Select(e => e.Sequence));
        Assert.Equal(2L, (await Store.GetBacklogAsync(0)).Pending);
        Assert.Equal(1L, (await Store.GetBacklogAsync(5)).Pending);
    }

    [Fact]
    public async Task Prune_UpToNothing_RemovesNothing()
    {
        await WriteAsync(3);

        Assert.Equal(0, await Store.Replication.PruneOutboxAsync(0, 100));

        Assert.Equal(3, (await Harness.ReadWholeOutboxAsync()).Count);
    }

    private async Task WriteAsync(int count, int firstSeed = 1)
    {
        for (var seed = firstSeed; seed < firstSeed + count; seed++)
        {
            await Store.SaveAnalysisAsync(Samples.Analysis(seed));
        }
    }
}
