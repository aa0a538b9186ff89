using GhidraInsight.Http.Problems;
using GhidraInsight.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GhidraInsight.Server.DiskSpace;

/// <summary>Degraded while the data folder is below its reserve: the region serves reads and annotations but refuses uploads.</summary>
internal sealed class DataFolderSpaceHealthCheck(DataFolderSpace space) : IHealthCheck
{
    public const string Name = "storage-space";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(space.IsLow && space.FreeBytes is { } free
            ? HealthCheckResult.Degraded(StorageFullAnswer.Describe(free, space.ReserveBytes))
            : HealthCheckResult.Healthy());
}
