using System.Text.Json.Nodes;
using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Sqlite;

/// <summary>
/// Rows and payloads from before lineage had segments (an empty <c>lineage</c> column, a payload without <c>"lineage"</c>)
/// read as the single segment (epoch, base version): they keep working, and what they cannot prove is history is reported.
/// </summary>
public sealed class LegacyLineageTests : RegionPairTest<SqliteProvider>
{
    private const ulong Address = 0x401000;
    private const string RelayRegion = "ap-south-1";
    private const string ThirdRegion = "sa-east-1";

    [Fact]
    public async Task ALocalWriteOverARowWithoutLineage_ContinuesFromItsEpochAndBaseVersion()
    {
        var id = await SaveAnalysisAsync();
        await WriteAsync(Origin, id, 1, 2);
        await WriteAsync(Origin, id, 2, 1);
        await Origin.ScalarAsync("UPDATE annotations SET lineage = '';");
        var legacy = (await Origin.Store.GetAnnotationAsync(id, Address))!;
        Assert.Equal((2L, 3L, 2L), (legacy.Epoch, legacy.Version, legacy.BaseVersion));
        Assert.Equal([(2L, 2L)], AnnotationAssert.Pairs(legacy));

        var sameEpoch = (await WriteAsync(Origin, id, 2, 1))[0];
        await Origin.ScalarAsync("UPDATE annotations SET lineage = '';");
        var nextEpoch = (await WriteAsync(Origin, id, 3, 1))[0];

        Assert.Equal([(2L, 2L)], AnnotationAssert.Pairs(sameEpoch));
        Assert.Equal([(2L, 2L), (3L, 4L)], AnnotationAssert.Pairs(nextEpoch));
        Assert.Equal((5L, 4L), (nextEpoch.Version, nextEpoch.BaseVersion));
        Assert.Equal("[[2,2],[3,4]]", await Origin.ScalarAsync("SELECT lineage FROM annotations;"));
        var payloads = (await Origin.ReadWholeOutboxAsync()).TakeLast(2).Select(e => JsonNode.Parse(e.Payload)!["lineage"]!.ToJsonString());
        Assert.Equal(["[[2,2]]", "[[2,2],[3,4]]"], payloads);
    }

    [Fact]
    public async Task AReplicatedWriteOverARowWithoutLineage_ComparesWithItsEpochAndBaseVersion()
    {
        // The replica takes over as epoch 2 from v2 and writes v3; its row then loses its segments.
        var id = await SaveAnalysisAsync();
        await WriteAsync(Origin, id, 1, 2);
        await ShipAsync();
        await WriteAsync(Replica, id, 2, 1);
        await Replica.ScalarAsync("UPDATE annotations SET lineage = '';");
        // A third region continues the replica's chain as epoch 3.
        var third = await StartRegionAsync();
        await third.Store.ApplyReplicatedAsync(OriginRegion, await Origin.ReadWholeOutboxAsync());
        await third.Store.ApplyReplicatedAsync(ReplicaRegion, await Replica.ReadWholeOutboxAsync());
        var newer = (await WriteAsync(third, id, 3, 1))[0];

        // Epoch 1's v2 is history, but the segment (2, 2) alone cannot show it: reported rather than hidden.
        var v2 = (await Origin.ReadWholeOutboxAsync())[^1];
        Assert.Equal(0, (await Replica.Store.ApplyReplicatedAsync(RelayRegion, [v2])).Applied);
        var conflict = Assert.Single(await Replica.Store.ListConflictsAsync(10));
        Assert.Equal((1L, 2L, 2L, 3L), (conflict.Lost.Epoch, conflict.Lost.Version, conflict.WonEpoch, conflict.WonVersion));

        // Epoch 3's lineage covers (2, v3): it replaces the row without a conflict.
        var result = await Replica.Store.ApplyReplicatedAsync(ThirdRegion, await third.ReadWholeOutboxAsync());

        Assert.Equal(1, result.Applied);
        Assert.Equal(1L, await Replica.Store.CountConflictsAsync());
        var kept = (await Replica.Store.GetAnnotationAsync(id, Address))!;
        AnnotationAssert.Same(newer, kept);
        Assert.Equal([(1L, 0L), (2L, 2L), (3L, 3L)], AnnotationAssert.Pairs(kept));
        Assert.Equal("[[1,0],[2,2],[3,3]]", await Replica.ScalarAsync("SELECT lineage FROM annotations;"));
    }

    [Fact]
    public async Task APayloadWithoutLineage_AppliesAsTheSingleSegmentOfItsEpochAndBaseVersion()
    {
        var id = await SaveAnalysisAsync();
        await WriteAsync(Origin, id, 1, 1);
        await WriteAsync(Origin, id, 2, 1);
        await WriteAsync(Origin, id, 3, 1);
        var outbox = await Origin.ReadWholeOutboxAsync();
        var epochTwo = WithoutLineage(outbox[2]);

        await Replica.Store.ApplyReplicatedAsync(OriginRegion, [outbox[0], epochTwo]);

        var applied = (await Replica.Store.GetAnnotationAsync(id, Address))!;
        Assert.Equal((2L, 2L, 1L), (applied.Epoch, applied.Version, applied.BaseVersion));
        Assert.Equal([(2L, 1L)], AnnotationAssert.Pairs(applied));
        Assert.Equal("[[2,1]]", await Replica.ScalarAsync("SELECT lineage FROM annotations;"));

        // The newer chain's lineage covers (2, v2), and then (1, v1): both history, no conflict.
        await Replica.Store.ApplyReplicatedAsync(OriginRegion, [outbox[3]]);
        await Replica.Store.ApplyReplicatedAsync(RelayRegion, [outbox[1]]);

        var kept = (await Replica.Store.GetAnnotationAsync(id, Address))!;
        Assert.Equal([(1L, 0L), (2L, 1L), (3L, 2L)], AnnotationAssert.Pairs(kept));
        Assert.Equal((3L, 3L), (kept.Epoch, kept.Version));
        Assert.Equal(0L, await Replica.Store.CountConflictsAsync());
    }

    [Theory]
    [InlineData("[[1,0]]")]
    [InlineData("[[1,0],[2,0]]")]
    [InlineData("[[1,0],[2,1,7]]")]
    [InlineData("[[1,0],[2,2]]")]
    public async Task APayloadWhoseLineageDoesNotFitTheWrite_RollsBackTheWholeBatch(string lineage)
    {
        // The epoch-2 write is v2 on base 1: its lineage must be [[1,0],[2,1]].
        var id = await SaveAnalysisAsync();
        await WriteAsync(Origin, id, 1, 1);
        await WriteAsync(Origin, id, 2, 1);
        var outbox = await Origin.ReadWholeOutboxAsync();
        var payload = JsonNode.Parse(outbox[2].Payload)!.AsObject();
        Assert.Equal("[[1,0],[2,1]]", payload["lineage"]!.ToJsonString());
        payload["lineage"] = JsonNode.Parse(lineage);

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            Replica.Store.ApplyReplicatedAsync(OriginRegion, [outbox[0], outbox[1], outbox[2] with { Payload = payload.ToJsonString() }]));

        Assert.Equal(0L, await Replica.Store.CountAnalysesAsync());
        Assert.Equal(0L, await Replica.Store.GetHighWaterMarkAsync(OriginRegion));
    }

    private async Task<string> SaveAnalysisAsync()
    {
        var analysis = Samples.Analysis(1);
        await Origin.Store.SaveAnalysisAsync(analysis);
        return analysis.Id;
    }

    /// <summary><paramref name="count"/> unconditional writes at <see cref="Address"/> by <paramref name="region"/> in <paramref name="epoch"/>.</summary>
    private static async Task<IReadOnlyList<Annotation>> WriteAsync(StoreHarness region, string id, long epoch, int count)
    {
        region.Epoch = epoch;
        var written = new List<Annotation>();
        for (var i = 0; i < count; i++)
        {
            region.Time.Advance(TimeSpan.FromSeconds(1));
            written.Add((await region.Store.PutAnnotationAsync(id, Address, Samples.Input($"e{epoch} #{i}"), null)).Current!);
        }

        return written;
    }

    private static OutboxEntry WithoutLineage(OutboxEntry entry)
    {
        var payload = JsonNode.Parse(entry.Payload)!.AsObject();
        Assert.True(payload.Remove("lineage"));
        return entry with { Payload = payload.ToJsonString() };
    }
}
