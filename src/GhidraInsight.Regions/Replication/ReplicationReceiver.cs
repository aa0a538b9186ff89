using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// The receiving side of <c>POST /api/replicate</c>: once the request is authenticated as coming from another region, applies
/// the batch idempotently, tells every <see cref="IReplicatedChangeObserver"/> what changed, and answers how far it stored.
/// </summary>
public sealed class ReplicationReceiver
{
    private readonly IReplicationLog _log;
    private readonly string _currentRegion;
    private readonly IReadOnlyList<IReplicatedChangeObserver> _observers;

    internal ReplicationReceiver(IReplicationLog log, string currentRegion, IEnumerable<IReplicatedChangeObserver> observers)
    {
        _log = log;
        _currentRegion = currentRegion;
        _observers = [.. observers];
    }

    /// <summary>
    /// Applies <paramref name="batch"/> from <paramref name="originRegion"/> (the verified signer): a stream batch by sequence, a
    /// snapshot page by the apply rules alone. The answer's <see cref="ReplicationApply.HighWaterMark"/> is the
    /// <c>applied_through</c> to acknowledge.
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

        var entries = batch.Entries.Select(entry => entry.ToOutboxEntry()).ToArray();
        ReplicationApply applied;
        if (batch.Snapshot is { } snapshot)
        {
            applied = await _log.ApplySnapshotAsync(originRegion, entries, snapshot.Complete ? snapshot.Through : null, cancellationToken).ConfigureAwait(false);
        }
        else if (entries.Length == 0)
        {
            // An empty batch asks how far this region has applied the origin's outbox.
            return new ReplicationApply(await _log.GetHighWaterMarkAsync(originRegion, cancellationToken).ConfigureAwait(false), 0, []);
        }
        else
        {
            applied = await _log.ApplyReplicatedAsync(originRegion, entries, cancellationToken).ConfigureAwait(false);
        }

        foreach (var observer in _observers)
        {
            observer.OnApplied(originRegion, applied);
        }

        return applied;
    }
}
