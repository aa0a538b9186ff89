using GhidraInsight.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GhidraInsight.Regions.Health;

/// <summary>The region's store answers (file present, a query runs): unhealthy otherwise, which makes <c>/health</c> answer 503.</summary>
internal sealed class StoreHealthCheck(IAnalysisStore store) : IHealthCheck
{
    /// <summary>The check's name, as <c>/health</c>'s error names it.</summary>
    public const string Name = "storage";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(exception.Message);
        }
    }
}
