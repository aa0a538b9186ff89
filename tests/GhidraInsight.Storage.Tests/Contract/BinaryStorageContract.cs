using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

public abstract class BinaryStorageContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    protected override long MaxBinaryBytes => 4096;

    [Fact]
    public async Task GetBinary_ReturnsTheExactBytesStored()
    {
        var analysis = Samples.Analysis(Samples.Bytes(5, length: 4096));

        await Store.SaveAnalysisAsync(analysis);

        Assert.Equal(analysis.Binary!.Value.ToArray(), await Store.GetBinaryAsync(analysis.Id));
    }

    [Fact]
    public async Task SaveAnalysis_WithABinarySlice_StoresOnlyTheSlice()
    {
        var buffer = Samples.Bytes(6, length: 300);
        var slice = buffer.AsMemory(100, 50);
        var analysis = Samples.Analysis(slice.ToArray()) with { Binary = slice };

        await Store.SaveAnalysisAsync(analysis);

        Assert.Equal(slice.ToArray(), await Store.GetBinaryAsync(analysis.Id));
    }

    [Fact]
    public async Task SaveAnalysis_WithAnEmptyBinary_StoresAnEmptyBinary()
    {
        var analysis = Samples.Analysis([]);

        await Store.SaveAnalysisAsync(analysis);

        Assert.True((await Store.GetAnalysisAsync(analysis.Id))!.HasBinary);
        var binary = await Store.GetBinaryAsync(analysis.Id);
        Assert.NotNull(binary);
        Assert.Empty(binary);
    }

    [Fact]
    public async Task SaveAnalysis_WithABinaryOverTheLimit_ThrowsAndWritesNothing()
    {
        var analysis = Samples.Analysis(Samples.Bytes(8, length: 4097));

        var error = await Assert.ThrowsAsync<BinaryTooLargeException>(() => Store.SaveAnalysisAsync(analysis));

        Assert.Equal((4097L, 4096L), (error.Size, error.Limit));
        Assert.Equal(0L, await Store.CountAnalysesAsync());
        Assert.Null(await Store.GetBinaryAsync(analysis.Id));
        Assert.Equal(0L, await Store.Changes.GetLastChangeSequenceAsync());
    }
}
