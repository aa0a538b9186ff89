using GhidraInsight.Server.Analyses;
using GhidraInsight.Server.Caching;
using GhidraInsight.Storage;

namespace GhidraInsight.Server.Tests;

public sealed class AnalysisCacheTests
{
    [Fact]
    public void AResultReadBeforeAnInvalidation_IsNotCached_SoTheReplacementIsServedNext()
    {
        var cache = new AnalysisCache(8);
        var readAt = cache.Generation;
        // The store was read (the old result); the replacement commits and invalidates before the reader puts what it read.
        cache.Invalidate("a");

        cache.Put(Served("a"), readAt);

        Assert.False(cache.TryGet("a", out _));
        cache.Put(Served("a"), cache.Generation);
        Assert.True(cache.TryGet("a", out _));
    }

    [Fact]
    public void TheLeastRecentlyUsed_LeavesFirst()
    {
        var cache = new AnalysisCache(2);
        cache.Put(Served("a"), cache.Generation);
        cache.Put(Served("b"), cache.Generation);
        Assert.True(cache.TryGet("a", out _));

        cache.Put(Served("c"), cache.Generation);

        Assert.Equal((true, false, true), (cache.TryGet("a", out _), cache.TryGet("b", out _), cache.TryGet("c", out _)));
    }

    private static ServedAnalysis Served(string id) =>
        new(new StoredAnalysis(id, "1.0.0", "elf", "x86_64", 1, DateTimeOffset.UnixEpoch, "{}", HasBinary: false), "{}"u8.ToArray());
}
