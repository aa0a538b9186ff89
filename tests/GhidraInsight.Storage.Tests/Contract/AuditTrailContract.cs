using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// The audit trail of every store: entries come back in time order, page after page; recording an id twice keeps one; pruning
/// removes only what is older than the cut, in batches.
/// </summary>
public abstract class AuditTrailContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task Entries_ComeBackInTimeOrder_PageByPage_AndARecordedIdIsKeptOnce()
    {
        var start = Harness.Time.GetUtcNow();
        var recorded = Enumerable.Range(0, 7)
            .Select(i => AuditEntry.Create(start.AddSeconds(i), "us-east-1", $"key-{i}", "PUT /api/analyses/{id}/annotations/{address}", $"/api/analyses/a/annotations/0x{i:x}", 200))
            .ToList();
        // Out of order, and one twice (a redelivery): the trail orders by id and keeps each once.
        foreach (var entry in recorded.AsEnumerable().Reverse().Append(recorded[3]))
        {
            await Store.Audit.RecordAsync(entry);
        }

        var pages = new List<IReadOnlyList<AuditEntry>>();
        string? after = null;
        do
        {
            var page = await Store.Audit.ListAsync(3, after);
            pages.Add(page);
            after = page.Count == 3 ? page[^1].Id : null;
        }
        while (after is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        Assert.Equal(recorded, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task Prune_RemovesOnlyEntriesOlderThanTheCut_InBatches()
    {
        var now = Harness.Time.GetUtcNow();
        for (var day = 0; day < 5; day++)
        {
            await Store.Audit.RecordAsync(AuditEntry.Create(now.AddDays(-day), "eu-west-1", "ops", "DELETE /api/analyses/{id}", $"/api/analyses/{day}", 204));
        }

        Assert.Equal(1, await Store.Audit.PruneAsync(now.AddDays(-2.5), maxEntries: 1));
        Assert.Equal(1, await Store.Audit.PruneAsync(now.AddDays(-2.5), maxEntries: 10));
        Assert.Equal(0, await Store.Audit.PruneAsync(now.AddDays(-2.5), maxEntries: 10));

        // Listed in the order they were made (ids never go back in time within a process), whatever time each was given.
        var left = await Store.Audit.ListAsync(10);
        Assert.Equal(["/api/analyses/0", "/api/analyses/1", "/api/analyses/2"], left.Select(e => e.Target));
    }

    [Fact]
    public async Task AnEventRecordedTwiceWithItsOwnId_IsKeptOnce_AndItsIdSortsByTime()
    {
        var at = Harness.Time.GetUtcNow();
        var id = AuditEntry.IdFor(at, "primary change 2 us-east-1 eu-west-1");
        var entry = new AuditEntry(id, at, "eu-west-1", AuditEntry.SystemKey, "failover", "us-east-1 → eu-west-1, epoch 2", 200);

        await Store.Audit.RecordAsync(entry);
        await Store.Audit.RecordAsync(entry with { });
        await Store.Audit.RecordAsync(AuditEntry.Create(at.AddMilliseconds(1), "eu-west-1", "ops", "GET /api/audit", "/api/audit", 200));

        var trail = await Store.Audit.ListAsync(10);
        Assert.Equal(2, trail.Count);
        Assert.Equal(entry, trail[0]);
        Assert.Equal(id, AuditEntry.IdFor(at, "primary change 2 us-east-1 eu-west-1"));
        Assert.Equal(7, Guid.Parse(id).Version);
    }
}
