using System.Collections.Concurrent;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// The change feed: one change per write that changed something, in commit order, with a gapless sequence that a reader
/// polling meanwhile never sees out of order; writes that change nothing record nothing.
/// </summary>
public abstract class ChangeFeedContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task EachWrite_RecordsOneChange_WithItsKindAndKey()
    {
        var analysis = Samples.Analysis(1);
        await Store.SaveAnalysisAsync(analysis);
        await Store.PutAnnotationAsync(analysis.Id, 0xffff_ffff_ffff_0000, Samples.Input("high"), null);
        await Store.PutAnnotationAsync(analysis.Id, 0xffff_ffff_ffff_0000, Samples.Input("stale"), 0);
        await Store.SaveAnalysisAsync(analysis);
        await Store.DeleteAnalysisAsync(analysis.Id);
        await Store.DeleteAnalysisAsync(analysis.Id);

        var changes = await Harness.ReadWholeChangesAsync();

        Assert.Equal(
            [(1L, OutboxKinds.AnalysisStored, analysis.Id), (2L, OutboxKinds.AnnotationPut, $"{analysis.Id}/0xffffffffffff0000"), (3L, OutboxKinds.AnalysisDeleted, analysis.Id)],
            changes.Select(c => (c.Sequence, c.Kind, c.Key)));
        Assert.All(changes, c => Assert.Equal(Harness.Time.GetUtcNow(), c.At));
        Assert.Equal(3L, await Store.Changes.GetLastChangeSequenceAsync());
    }

    [Fact]
    public async Task ReadChanges_AfterASequence_ReturnsOnlyLaterChangesUpToTheLimit()
    {
        for (var seed = 0; seed < 7; seed++)
        {
            await Store.SaveAnalysisAsync(Samples.Analysis(seed));
        }

        Assert.Equal([4L, 5L], (await Store.Changes.ReadChangesAsync(3, 2)).Select(c => c.Sequence));
        Assert.Empty(await Store.Changes.ReadChangesAsync(7, 10));
        Assert.Equal(7L, await Store.Changes.GetLastChangeSequenceAsync());
    }

    [Fact]
    public async Task ConcurrentWriters_RecordAGaplessSequence_OneChangePerSuccessfulWrite()
    {
        const int Writers = 6;
        const int WritesPerWriter = 30;
        var shared = Samples.Analysis(-1);
        await Store.SaveAnalysisAsync(shared);
        var successfulKeys = new ConcurrentBag<string>();
        var readerSawGap = false;
        using var writersDone = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!writersDone.IsCancellationRequested)
            {
                var seen = await Store.Changes.ReadChangesAsync(0, 1000);
                readerSawGap |= seen.Select((c, i) => c.Sequence != i + 1).Any(gap => gap);
            }
        });
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < WritesPerWriter; i++)
            {
                var seed = (writer * 1000) + i;
                if (i % 2 == 0)
                {
                    // Every writer also creates the same annotation expecting none: exactly one of them may succeed.
                    var address = i % 4 == 0 ? 0x1000UL : (ulong)seed;
                    if ((await Store.PutAnnotationAsync(shared.Id, address, Samples.Input($"f{seed}"), 0)).Status == AnnotationWriteStatus.Created)
                    {
                        successfulKeys.Add(OutboxKinds.AnnotationKey(shared.Id, address));
                    }
                }
                else if (await Store.SaveAnalysisAsync(Samples.Analysis(seed)))
                {
                    successfulKeys.Add(Samples.Analysis(seed).Id);
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await reader;

        var changes = (await Harness.ReadWholeChangesAsync()).Skip(1).ToList();

        Assert.False(readerSawGap);
        Assert.Equal(Enumerable.Range(2, changes.Count).Select(i => (long)i), changes.Select(c => c.Sequence));
        Assert.Equal(successfulKeys.Order(StringComparer.Ordinal), changes.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Single(changes, c => c.Key == OutboxKinds.AnnotationKey(shared.Id, 0x1000));
    }
}
