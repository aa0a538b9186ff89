namespace GhidraInsight.Storage.Tests.Support;

/// <summary>
/// Opens stores of one implementation for the contract tests: every implementation of <see cref="IAnalysisStore"/> and
/// <see cref="IReplicationLog"/> gets a provider and a concrete subclass of each contract class it keeps (the replication
/// contracts are the embedded store's only: PostgreSQL replicates by itself).
/// </summary>
public interface IStoreProvider
{
    /// <summary>A store of this implementation whose data lives under <paramref name="directory"/>, not yet initialized.</summary>
    IRegionStore Open(string directory, long maxBinaryBytes, TimeProvider time);
}
