using GhidraInsight.Regions.Replication;
using GhidraInsight.Storage;

namespace GhidraInsight.Server.Caching;

/// <summary>Cross-region cache invalidation: what another region's replicated writes changed leaves this region's cache.</summary>
internal sealed class AnalysisCacheInvalidation(AnalysisCache cache) : IReplicatedChangeObserver
{
    public void OnApplied(string origin, ReplicationApply applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        foreach (var id in applied.ChangedAnalysisIds)
        {
            cache.Invalidate(id);
        }
    }
}
