using GhidraInsight.Storage.Sqlite.Annotations;

namespace GhidraInsight.Storage.Tests.Sqlite;

/// <summary>
/// The lineage rules on their own, at the segment boundaries the store-level scenarios rarely reach. The chain under test:
/// epoch 1 wrote v1 and v2, epoch 2 wrote v3, epoch 3 wrote v4 and v5, i.e. (3, v5) with segments (1, 0), (2, 2), (3, 3).
/// </summary>
public sealed class AnnotationLineageRuleTests
{
    private static readonly Annotation Chain = At(3, 5, [new(1, 0), new(2, 2), new(3, 3)]);

    [Theory]
    [InlineData(1, 1, true)]
    [InlineData(1, 2, true)]
    [InlineData(1, 3, false)]
    [InlineData(2, 2, false)]
    [InlineData(2, 3, true)]
    [InlineData(2, 4, false)]
    [InlineData(3, 3, false)]
    [InlineData(3, 4, true)]
    [InlineData(3, 5, true)]
    [InlineData(3, 6, false)]
    [InlineData(4, 5, false)]
    [InlineData(0, 1, false)]
    public void Includes_IsTrueExactlyWhenASegmentOfTheWritesEpochCoversItsVersion(long epoch, long version, bool expected)
    {
        Assert.Equal(expected, AnnotationLineage.Includes(Chain, At(epoch, version, null)));
    }

    [Fact]
    public void Includes_ReadsALegacyAnnotationAsTheSingleSegmentOfItsEpochAndBaseVersion()
    {
        var legacy = At(2, 4, null, baseVersion: 2);

        Assert.Equal([new LineageSegment(2, 2)], legacy.Lineage);
        Assert.Equal([new LineageSegment(2, 2)], At(2, 4, [], baseVersion: 2).Lineage);
        Assert.True(AnnotationLineage.Includes(legacy, At(2, 3, null)));
        Assert.False(AnnotationLineage.Includes(legacy, At(2, 2, null)));
        Assert.False(AnnotationLineage.Includes(legacy, At(1, 2, null)));
    }

    [Fact]
    public void Next_StartsANewKey_KeepsTheEpochsChain_AndAddsASegmentForANewEpoch()
    {
        Assert.Equal([new LineageSegment(4, 0)], AnnotationLineage.Next(null, 4));
        Assert.Same(Chain.Lineage, AnnotationLineage.Next(Chain, 3));
        Assert.Equal([new(1, 0), new(2, 2), new(3, 3), new LineageSegment(5, 5)], AnnotationLineage.Next(Chain, 5));
        Assert.Equal([new(2, 2), new LineageSegment(3, 4)], AnnotationLineage.Next(At(2, 4, null, baseVersion: 2), 3));
    }

    [Fact]
    public void Next_OverTheCap_DropsTheOldestSegments()
    {
        var full = At(64, 64, [.. Enumerable.Range(1, 64).Select(e => new LineageSegment(e, e - 1))]);

        var next = AnnotationLineage.Next(full, 65);

        Assert.Equal(AnnotationLineage.MaxSegments, next.Count);
        Assert.Equal((new LineageSegment(2, 1), new LineageSegment(65, 64)), (next[0], next[^1]));
        Assert.Equal(full.Lineage.Skip(1), next.Take(63));
    }

    private static Annotation At(long epoch, long version, IReadOnlyList<LineageSegment>? lineage, long baseVersion = 0) =>
        new("id", 0x401000, "name", null, [], version, epoch, DateTimeOffset.UnixEpoch, lineage is { Count: > 0 } ? lineage[^1].StartsAfterVersion : baseVersion, lineage);
}
