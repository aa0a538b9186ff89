using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>
/// The embedded store's audit trail replicates with the data: an entry goes into the outbox with its write, applies once on
/// another region however often it is delivered, and is part of a snapshot for a region that is resynced.
/// </summary>
public abstract class AuditReplicationContract<TProvider> : RegionPairTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    [Fact]
    public async Task ARecordedEntry_ReachesTheReplicaOnce_EvenDeliveredTwice()
    {
        var entry = AuditEntry.Create(Origin.Time.GetUtcNow(), OriginRegion, "ops", "POST /api/failover", "switchover to eu-west-1", 200);
        await Origin.Store.Audit.RecordAsync(entry);

        var outbox = await Origin.ReadWholeOutboxAsync();
        Assert.Equal((OutboxKinds.AuditRecorded, entry.Id), (Assert.Single(outbox).Kind, outbox[0].Key));
        await ShipAsync();
        await Replica.Store.ApplyReplicatedAsync(OriginRegion, outbox);

        Assert.Equal(entry, Assert.Single(await Replica.Store.Audit.ListAsync(10)));
        // Applying another region's entry does not put it in this region's outbox again.
        Assert.Empty(await Replica.ReadWholeOutboxAsync());
    }

    [Fact]
    public async Task ASnapshot_CarriesTheAuditTrail_ToAResyncedRegion()
    {
        var at = Origin.Time.GetUtcNow();
        var entries = Enumerable.Range(0, 3).Select(i => AuditEntry.Create(at.AddSeconds(i), OriginRegion, "ops", "DELETE /api/analyses/{id}", $"/api/analyses/{i}", 204)).ToList();
        foreach (var entry in entries)
        {
            await Origin.Store.Audit.RecordAsync(entry);
        }
        await Origin.Store.SaveAnalysisAsync(Samples.Analysis(1));

        var snapshot = await Origin.ReadWholeSnapshotAsync();
        await Replica.Store.Replication.ApplySnapshotAsync(OriginRegion, snapshot, completesThrough: 4);

        Assert.Equal(3, snapshot.Count(e => e.Kind == OutboxKinds.AuditRecorded));
        Assert.Equal(entries, await Replica.Store.Audit.ListAsync(10));
    }
}
