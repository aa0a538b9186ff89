using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// The receiving side of <c>POST /api/replicate</c>: after the server has verified the signature, applies the batch
/// idempotently and tells the sender how far it has stored.
/// </summary>
public sealed class ReplicationReceiver
{
    private readonly IAnalysisStore _store;
    private readonly string _currentRegion;

    internal ReplicationReceiver(IAnalysisStore store, string currentRegion)
    {
        _store = store;
        _currentRegion = currentRegion;
    }

    /// <summary>
    /// Applies <paramref name="batch"/> from <paramref name="originRegion"/> (the verified signer). The answer's
    /// <see cref="ReplicationApply.HighWaterMark"/> is the <c>applied_through</c> to acknowledge; its changed ids are for cache invalidation.
    /// </summary>
    /// <exception cref="InvalidDataException">The batch is malformed or not from <paramref name="originRegion"/>; nothing was applied.</exception>
    public async Task<ReplicationApply> ApplyAsync(string originRegion, ReplicationBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(originRegion);
        ArgumentNullException.ThrowIfNull(batch);
        if (originRegion == _currentRegion)
        {
            throw new InvalidDataException("a region does not replicate to itself");
        }

        if (batch.Validate(originRegion) is { } problem)
        {
            throw new InvalidDataException(problem);
        }

        if (batch.Entries.Count == 0)
        {
            var mark = await _store.GetHighWaterMarkAsync(originRegion, cancellationToken).ConfigureAwait(false);
            return new ReplicationApply(mark, 0, []);
        }

        var entries = batch.Entries.Select(entry => entry.ToOutboxEntry()).ToArray();
        return await _store.ApplyReplicatedAsync(originRegion, entries, cancellationToken).ConfigureAwait(false);
    }
}
