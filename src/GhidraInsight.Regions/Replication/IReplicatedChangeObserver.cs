using GhidraInsight.Storage;

namespace GhidraInsight.Regions.Replication;

/// <summary>
/// Told about every replicated batch this region applied (the guide's cross-region cache invalidation): the host registers
/// one per cache of stored state it keeps, and drops what <see cref="ReplicationApply.ChangedAnalysisIds"/> names.
/// </summary>
public interface IReplicatedChangeObserver
{
    /// <summary>Called after a batch from <paramref name="origin"/> was applied and committed.</summary>
    void OnApplied(string origin, ReplicationApply applied);
}
