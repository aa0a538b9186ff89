using GhidraInsight.Storage.Tests.Support;

namespace GhidraInsight.Storage.Tests.Contract;

public abstract class AnnotationContract<TProvider> : StoreTest<TProvider>
    where TProvider : IStoreProvider, new()
{
    private const ulong Address = 0x401000;

    [Fact]
    public async Task PutAnnotation_OnANewAddress_CreatesVersionOne()
    {
        var id = await SaveAnalysisAsync();

        var write = await Store.PutAnnotationAsync(id, Address, Samples.Input("main", "entry", "hot"), null);

        Assert.Equal(AnnotationWriteStatus.Created, write.Status);
        var expected = new Annotation(id, Address, "main", "comment for main", ["entry", "hot"], 1, 1, Harness.Time.GetUtcNow());
        AnnotationAssert.Same(expected, write.Current!);
        AnnotationAssert.Same(expected, Assert.Single(await Store.GetAnnotationsAsync(id)));
    }

    [Fact]
    public async Task GetAnnotation_FindsOneAddress_IncludingHighOnes_AndNullElsewhere()
    {
        var id = await SaveAnalysisAsync();
        const ulong high = 0xffffffffffff0000;
        await Store.PutAnnotationAsync(id, Address, Samples.Input("main"), null);
        await Store.PutAnnotationAsync(id, high, Samples.Input("kernel"), null);

        Assert.Equal("main", (await Store.GetAnnotationAsync(id, Address))!.Name);
        Assert.Equal(high, (await Store.GetAnnotationAsync(id, high))!.Address);
        Assert.Null(await Store.GetAnnotationAsync(id, Address + 1));
        Assert.Null(await Store.GetAnnotationAsync(new string('0', 64), Address));
    }

    [Fact]
    public async Task PutAnnotation_WithTheStoredVersion_UpdatesAndIncrementsTheVersion()
    {
        var id = await SaveAnalysisAsync();
        await Store.PutAnnotationAsync(id, Address, Samples.Input("main"), 0);
        Harness.Time.Advance(TimeSpan.FromMinutes(1));

        var write = await Store.PutAnnotationAsync(id, Address, new AnnotationInput(null, "renamed later", []), 1);

        Assert.Equal(AnnotationWriteStatus.Updated, write.Status);
        var expected = new Annotation(id, Address, null, "renamed later", [], 2, 1, Harness.Time.GetUtcNow());
        AnnotationAssert.Same(expected, write.Current!);
        AnnotationAssert.Same(expected, Assert.Single(await Store.GetAnnotationsAsync(id)));
    }

    [Fact]
    public async Task PutAnnotation_WithoutExpectedVersion_OverwritesWhateverIsStored()
    {
        var id = await SaveAnalysisAsync();
        await Store.PutAnnotationAsync(id, Address, Samples.Input("one"), null);
        await Store.PutAnnotationAsync(id, Address, Samples.Input("two"), null);

        var write = await Store.PutAnnotationAsync(id, Address, Samples.Input("three"), null);

        Assert.Equal(AnnotationWriteStatus.Updated, write.Status);
        Assert.Equal(3, write.Current!.Version);
        Assert.Equal("three", Assert.Single(await Store.GetAnnotationsAsync(id)).Name);
    }

    [Fact]
    public async Task PutAnnotation_WithVersionZero_WhenOneExists_ConflictsAndReturnsTheStoredRow()
    {
        var id = await SaveAnalysisAsync();
        var first = await Store.PutAnnotationAsync(id, Address, Samples.Input("first"), 0);

        var write = await Store.PutAnnotationAsync(id, Address, Samples.Input("second"), 0);

        Assert.Equal(AnnotationWriteStatus.VersionConflict, write.Status);
        AnnotationAssert.Same(first.Current!, write.Current!);
        Assert.Equal("first", Assert.Single(await Store.GetAnnotationsAsync(id)).Name);
    }

    [Fact]
    public async Task PutAnnotation_WithAStaleVersion_ConflictsAndReturnsTheCurrentRowUnchanged()
    {
        var id = await SaveAnalysisAsync();
        await Store.PutAnnotationAsync(id, Address, Samples.Input("v1"), 0);
        var second = await Store.PutAnnotationAsync(id, Address, Samples.Input("v2"), 1);
        var changesBefore = (await Harness.ReadWholeChangesAsync()).Count;

        var write = await Store.PutAnnotationAsync(id, Address, Samples.Input("lost update"), 1);

        Assert.Equal(AnnotationWriteStatus.VersionConflict, write.Status);
        AnnotationAssert.Same(second.Current!, write.Current!);
        Assert.Equal(2, write.Current!.Version);
        Assert.Equal(changesBefore, (await Harness.ReadWholeChangesAsync()).Count);
    }

    [Fact]
    public async Task PutAnnotation_ExpectingAVersionThatDoesNotExistYet_Conflicts()
    {
        var id = await SaveAnalysisAsync();

        var write = await Store.PutAnnotationAsync(id, Address, Samples.Input("ghost"), 3);

        Assert.Equal(new AnnotationWrite(AnnotationWriteStatus.VersionConflict, null), write);
        Assert.Empty(await Store.GetAnnotationsAsync(id));
    }

    [Fact]
    public async Task PutAnnotation_ForAnUnknownAnalysis_ReturnsAnalysisNotFoundAndWritesNothing()
    {
        var write = await Store.PutAnnotationAsync(Samples.Id(404), Address, Samples.Input("orphan"), null);

        Assert.Equal(new AnnotationWrite(AnnotationWriteStatus.AnalysisNotFound, null), write);
        Assert.Empty(await Harness.ReadWholeChangesAsync());
    }

    [Fact]
    public async Task GetAnnotations_RoundTripsHighAddressesInUnsignedOrder()
    {
        var id = await SaveAnalysisAsync();
        ulong[] addresses = [0xffffffffffff0000, 0x8000000000000000, 0x10, ulong.MaxValue, 0];
        foreach (var address in addresses)
        {
            await Store.PutAnnotationAsync(id, address, Samples.Input($"at {address:x}"), 0);
        }

        var stored = await Store.GetAnnotationsAsync(id);

        Assert.Equal(addresses.Order(), stored.Select(a => a.Address));
        Assert.Equal("at ffffffffffff0000", stored.Single(a => a.Address == 0xffffffffffff0000).Name);
        var update = await Store.PutAnnotationAsync(id, ulong.MaxValue, Samples.Input("max"), 1);
        Assert.Equal(AnnotationWriteStatus.Updated, update.Status);
    }

    private async Task<string> SaveAnalysisAsync()
    {
        var analysis = Samples.Analysis(1);
        await Store.SaveAnalysisAsync(analysis);
        return analysis.Id;
    }
}
