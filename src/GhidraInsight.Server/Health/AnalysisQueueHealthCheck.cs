using GhidraInsight.Configuration;
using GhidraInsight.Server.Analyses;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GhidraInsight.Server.Health;

/// <summary>Degraded while every analysis slot and queue place is taken: the region serves, but new uploads get 503 BUSY.</summary>
internal sealed class AnalysisQueueHealthCheck(AnalysisQueue queue, ServerOptions server) : IHealthCheck
{
    public const string Name = "analysis-queue";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var capacity = server.AnalysisConcurrency + server.AnalysisQueueLimit;
        return Task.FromResult(queue.Depth >= capacity
            ? HealthCheckResult.Degraded($"all {capacity} analysis slots and queue places are taken")
            : HealthCheckResult.Healthy());
    }
}
