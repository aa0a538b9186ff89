namespace GhidraInsight.Storage.Tests.Support;

/// <summary>Gives every test (xunit makes one instance per test) its own initialized store and folder, of one implementation.</summary>
public abstract class StoreTest<TProvider> : IAsyncLifetime
    where TProvider : IStoreProvider, new()
{
    private StoreHarness? _harness;

    internal StoreHarness Harness => _harness ?? throw new InvalidOperationException("The harness starts in InitializeAsync.");

    internal TestStore Store => Harness.Store;

    protected virtual long MaxBinaryBytes => StoreHarness.DefaultMaxBinaryBytes;

    public async Task InitializeAsync() => _harness = await StoreHarness.StartAsync(new TProvider(), MaxBinaryBytes);

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}
