using System.Collections.Concurrent;
using System.Text.Json;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

public abstract class OutboxContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task MixedWrites_AppendExactlyOneEntryEachInWriteOrder()
    {
        var a = Samples.Analysis(1);
        var b = Samples.Analysis(2);
        var expected = new List<(string Kind, string Key)>();

        await Store.SaveAnalysisAsync(a);
        expected.Add((OutboxKinds.AnalysisStored, a.Id));
        await Store.PutAnnotationAsync(a.Id, 0x401000, Samples.Input("main"), null);
        expected.Add((OutboxKinds.AnnotationPut, $"{a.Id}/0x401000"));
        await Store.SaveAnalysisAsync(b);
        expected.Add((OutboxKinds.AnalysisStored, b.Id));
        await Store.SaveAnalysisAsync(a);
        await Store.PutAnnotationAsync(a.Id, 0x401000, Samples.Input("entry"), 1);
        expected.Add((OutboxKinds.AnnotationPut, $"{a.Id}/0x401000"));
        await Store.PutAnnotationAsync(a.Id, 0x401000, Samples.Input("stale"), 1);
        await Store.PutAnnotationAsync(b.Id, 0xffffffffffff0000, Samples.Input("high"), 0);
        expected.Add((OutboxKinds.AnnotationPut, $"{b.Id}/0xffffffffffff0000"));
        await Store.DeleteAnalysisAsync(a.Id);
        expected.Add((OutboxKinds.AnalysisDeleted, a.Id));
        await Store.DeleteAnalysisAsync(a.Id);

        var entries = await Harness.ReadWholeOutboxAsync();

        Assert.Equal(expected, entries.Select(e => (e.Kind, e.Key)));
        Assert.Equal(Enumerable.Range(1, expected.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.All(entries, e => Assert.Equal(1, e.Epoch));
        Assert.All(entries, e => Assert.Equal(Harness.Time.GetUtcNow(), e.CreatedAt));
    }

    [Fact]
    public async Task AnalysisStoredPayload_CarriesTheMetadataAndResultButNotTheBinary()
    {
        var analysis = Samples.Analysis(Samples.Bytes(7, length: 4096));
        await Store.SaveAnalysisAsync(analysis);

        var entry = Assert.Single(await Harness.ReadWholeOutboxAsync());
        using var payload = JsonDocument.Parse(entry.Payload);
        var root = payload.RootElement;

        Assert.Equal(analysis.Id, root.GetProperty("id").GetString());
        Assert.Equal("0.3.1", root.GetProperty("engine_version").GetString());
        Assert.Equal("elf", root.GetProperty("format").GetString());
        Assert.Equal("x86_64", root.GetProperty("arch").GetString());
        Assert.Equal(4096, root.GetProperty("size").GetInt64());
        Assert.Equal(Harness.Time.GetUtcNow().ToUnixTimeMilliseconds(), root.GetProperty("created_at").GetInt64());
        Assert.Equal(analysis.ResultJson, root.GetProperty("result_json").GetString());
        Assert.Equal(7, root.EnumerateObject().Count());
    }

    [Fact]
    public async Task AnnotationAndDeletePayloads_CarryTheFullChange()
    {
        var analysis = Samples.Analysis(1);
        await Store.SaveAnalysisAsync(analysis);
        await Store.PutAnnotationAsync(analysis.Id, 0xffffffffffff0000, Samples.Input("high", "crypto", "hot"), null);
        Harness.Time.Advance(TimeSpan.FromSeconds(3));
        await Store.DeleteAnalysisAsync(analysis.Id);

        var entries = await Harness.ReadWholeOutboxAsync();
        using var put = JsonDocument.Parse(entries[1].Payload);
        using var deleted = JsonDocument.Parse(entries[2].Payload);

        Assert.Equal(analysis.Id, put.RootElement.GetProperty("analysis_id").GetString());
        Assert.Equal("0xffffffffffff0000", put.RootElement.GetProperty("address").GetString());
        Assert.Equal("high", put.RootElement.GetProperty("name").GetString());
        Assert.Equal("comment for high", put.RootElement.GetProperty("comment").GetString());
        Assert.Equal(["crypto", "hot"], put.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(1, put.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(1, put.RootElement.GetProperty("epoch").GetInt64());
        Assert.Equal(0, put.RootElement.GetProperty("base_version").GetInt64());
        Assert.Equal("[[1,0]]", put.RootElement.GetProperty("lineage").GetRawText());
        Assert.Equal(analysis.Id, deleted.RootElement.GetProperty("id").GetString());
        Assert.Equal(Harness.Time.GetUtcNow().ToUnixTimeMilliseconds(), deleted.RootElement.GetProperty("deleted_at").GetInt64());
    }

    [Fact]
    public async Task ReadOutbox_AfterASequence_ReturnsOnlyLaterEntriesUpToTheLimit()
    {
        for (var seed = 0; seed < 6; seed++)
        {
            await Store.SaveAnalysisAsync(Samples.Analysis(seed));
        }

        var page = await Store.ReadOutboxAsync(2, 3);

        Assert.Equal([3L, 4L, 5L], page.Select(e => e.Sequence));
    }

    [Fact]
    public async Task LastOutboxSequence_OnAnEmptyStore_IsZero()
    {
        Assert.Equal(0L, await Store.GetLastOutboxSequenceAsync());
    }

    [Fact]
    public async Task LastOutboxSequence_IsTheHighestSequenceEverAppended_EvenAfterPruning()
    {
        var analysis = Samples.Analysis(1);
        await Store.SaveAnalysisAsync(analysis);
        await Store.PutAnnotationAsync(analysis.Id, 0x401000, Samples.Input("main"), null);
        await Store.SaveAnalysisAsync(Samples.Analysis(2));
        await Store.DeleteAnalysisAsync(analysis.Id);
        var written = await Harness.ReadWholeOutboxAsync();

        Assert.Equal(4L, written[^1].Sequence);
        Assert.Equal(4L, await Store.GetLastOutboxSequenceAsync());

        // A refused write appends nothing; pruned entries still count as appended.
        await Store.SaveAnalysisAsync(Samples.Analysis(2));
        Assert.Equal(4, await Store.Replication.PruneOutboxAsync(4, 100));
        Assert.Empty(await Harness.ReadWholeOutboxAsync());
        Assert.Equal(4L, await Store.GetLastOutboxSequenceAsync());
    }

    [Fact]
    public async Task ConcurrentWriters_ProduceAGaplessIncreasingSequenceWithOneEntryPerSuccessfulWrite()
    {
        const int Writers = 8;
        const int WritesPerWriter = 50;
        var shared = Samples.Analysis(-1);
        await Store.SaveAnalysisAsync(shared);
        var successfulKeys = new ConcurrentBag<string>();
        var readerSawGap = false;
        using var writersDone = new CancellationTokenSource();

        var reader = Task.Run(async () =>
        {
            while (!writersDone.IsCancellationRequested)
            {
                var seen = await Store.ReadOutboxAsync(0, 1000);
                readerSawGap |= seen.Select((e, i) => e.Sequence != i + 1).Any(gap => gap);
            }
        });
        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < WritesPerWriter; i++)
            {
                var seed = (writer * 1000) + i;
                if (i % 3 == 0)
                {
                    var write = await Store.PutAnnotationAsync(shared.Id, (ulong)seed, Samples.Input($"f{seed}"), 0);
                    Assert.Equal(AnnotationWriteStatus.Created, write.Status);
                    successfulKeys.Add(OutboxKinds.AnnotationKey(shared.Id, (ulong)seed));
                }
                else
                {
                    // Every writer also re-saves a common id: exactly one of those saves may succeed.
                    var analysis = i % 3 == 1 ? Samples.Analysis(seed) : Samples.Analysis(424242);
                    if (await Store.SaveAnalysisAsync(analysis))
                    {
                        successfulKeys.Add(analysis.Id);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        await reader;

        var entries = (await Harness.ReadWholeOutboxAsync()).Skip(1).ToList();

        Assert.False(readerSawGap);
        Assert.Equal(Enumerable.Range(2, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(successfulKeys.Order(StringComparer.Ordinal), entries.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Single(entries, e => e.Key == Samples.Analysis(424242).Id);
    }
}
