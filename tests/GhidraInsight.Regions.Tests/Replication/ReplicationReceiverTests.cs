using System.Text;
using GhidraInsight.Regions.Replication;
using GhidraInsight.Regions.Tests.Support;
using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Tests.Replication;

public sealed class ReplicationReceiverTests
{
    private readonly FakeReplicationLog _store = new(TimeProvider.System);

    [Fact]
    public void The_batch_json_is_snake_case_with_unix_millisecond_timestamps()
    {
        var entry = new OutboxEntry(3, OutboxKinds.AnalysisStored, "k", "{\"a\":1}", 2, DateTimeOffset.FromUnixTimeMilliseconds(1700000000123));

        var json = Encoding.UTF8.GetString(ReplicationJson.Serialize(ReplicationBatch.From("a", [entry])));

        Assert.Equal("""{"origin":"a","entries":[{"sequence":3,"kind":"analysis.stored","key":"k","payload":"{\u0022a\u0022:1}","epoch":2,"created_at":1700000000123}]}""", json);
        Assert.Equal(entry, ReplicationJson.DeserializeBatch(Encoding.UTF8.GetBytes(json)).Entries[0].ToOutboxEntry());
        Assert.Equal("""{"applied_through":9}""", Encoding.UTF8.GetString(ReplicationJson.Serialize(new ReplicationAck(9))));
    }

    [Fact]
    public async Task Applying_returns_the_high_water_mark_and_is_idempotent()
    {
        var receiver = new ReplicationReceiver(_store, "b", []);
        var batch = new ReplicationBatch("a", [Entry(1), Entry(2)]);

        Assert.Equal(2, (await receiver.ApplyAsync("a", batch)).HighWaterMark);
        var again = await receiver.ApplyAsync("a", batch);

        Assert.Equal(2, again.HighWaterMark);
        Assert.Equal(0, again.Applied);
        Assert.Equal(2, _store.Applied.Count);
    }

    [Theory]
    [InlineData("c")]
    [InlineData("b")]
    public async Task A_batch_not_from_its_signer_or_from_itself_is_refused_and_nothing_applied(string signer)
    {
        var receiver = new ReplicationReceiver(_store, "b", []);
        await Assert.ThrowsAsync<InvalidDataException>(() => receiver.ApplyAsync(signer, new ReplicationBatch("a", [Entry(1)])));
        Assert.Empty(_store.Applied);
    }

    [Fact]
    public async Task Out_of_order_sequences_or_unknown_kinds_are_refused()
    {
        var receiver = new ReplicationReceiver(_store, "b", []);
        await Assert.ThrowsAsync<InvalidDataException>(() => receiver.ApplyAsync("a", new ReplicationBatch("a", [Entry(2), Entry(1)])));
        await Assert.ThrowsAsync<InvalidDataException>(() => receiver.ApplyAsync("a", new ReplicationBatch("a", [Entry(1) with { Kind = "drop.table" }])));
        Assert.Empty(_store.Applied);
    }

    private static ReplicationEntry Entry(long sequence) => new(sequence, OutboxKinds.AnalysisStored, $"k{sequence}", "{}", 1, 1700000000000);
}
