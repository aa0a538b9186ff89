using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

/// <summary>Annotations page by address in unsigned order, so a client walks any number of them with limit and after.</summary>
public abstract class AnnotationPagingContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    private static readonly ulong[] Addresses = [0x10, 0x401000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffff0000, 0xffffffffffffffff];

    [Fact]
    public async Task Pages_WalkEveryAnnotationOnceInUnsignedAddressOrder_AcrossTheSignBoundary()
    {
        var id = await SaveWithAnnotationsAsync();

        var seen = new List<ulong>();
        ulong? after = null;
        while (true)
        {
            var page = await Store.Analyses.GetAnnotationsAsync(id, 4, after);
            Assert.True(page.Count <= 4);
            seen.AddRange(page.Select(a => a.Address));
            if (page.Count < 4)
            {
                break;
            }
            after = page[^1].Address;
        }

        Assert.Equal(Addresses, seen);
    }

    [Theory]
    [InlineData(0x10UL, 1)]
    [InlineData(0x7fffffffffffffffUL, 3)]
    [InlineData(0x8000000000000000UL, 4)]
    [InlineData(0xffffffffffffffffUL, 6)]
    [InlineData(0x500000UL, 2)]
    public async Task After_StartsRightAfterThatAddress_WhetherAnnotatedOrNot(ulong after, int skipped)
    {
        var id = await SaveWithAnnotationsAsync();

        var page = await Store.Analyses.GetAnnotationsAsync(id, 100, after);

        Assert.Equal(Addresses.Skip(skipped), page.Select(a => a.Address));
    }

    [Fact]
    public async Task AnAnnotationAddedBehindTheCursor_DoesNotShiftTheNextPage()
    {
        var id = await SaveWithAnnotationsAsync();
        var first = await Store.Analyses.GetAnnotationsAsync(id, 2);

        await Store.PutAnnotationAsync(id, 0x11, Samples.Input("late"), null);
        var second = await Store.Analyses.GetAnnotationsAsync(id, 2, first[^1].Address);

        Assert.Equal([0x7fffffffffffffffUL, 0x8000000000000000UL], second.Select(a => a.Address));
    }

    private async Task<string> SaveWithAnnotationsAsync()
    {
        var analysis = Samples.Analysis(1);
        await Store.SaveAnalysisAsync(analysis);
        foreach (var address in Addresses.Reverse())
        {
            await Store.PutAnnotationAsync(analysis.Id, address, Samples.Input($"f{address:x}"), null);
        }
        return analysis.Id;
    }
}
