namespace GhidraInsight.Storage.Tests.Support;

/// <summary>
/// Compares annotations by content. Records compare their lists (tags, lineage) by reference, so those are compared
/// element by element and the rest with the record's own equality.
/// </summary>
internal static class AnnotationAssert
{
    public static void Same(Annotation expected, Annotation actual)
    {
        Assert.Equal(WithoutLists(expected), WithoutLists(actual));
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.Lineage, actual.Lineage);
    }

    /// <summary>The lineage as (epoch, startsAfterVersion) pairs, oldest first, for concise expectations.</summary>
    public static IReadOnlyList<(long Epoch, long StartsAfterVersion)> Pairs(Annotation annotation) =>
        [.. annotation.Lineage.Select(s => (s.Epoch, s.StartsAfterVersion))];

    private static Annotation WithoutLists(Annotation annotation) => annotation with { Tags = [], Lineage = [] };
}
