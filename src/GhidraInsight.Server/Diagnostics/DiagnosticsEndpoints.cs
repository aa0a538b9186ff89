using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Security;
using GhidraInsight.Regions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Server.Diagnostics;

/// <summary>
/// <c>GET /api/diagnostics</c> (admin): every region's <see cref="RegionDiagnostics"/>, for <c>ghidrainsight doctor</c> and
/// <c>drill</c>. The signed internal pair the regions use for it: <c>GET /api/internal/diagnostics</c> (one region's own report) and
/// <c>GET /api/internal/clock</c> (the cheapest signed round trip: a link, the secret and the clocks in one).
/// </summary>
internal static class DiagnosticsEndpoints
{
    public const string ClockPath = "/api/internal/clock";
    public const string InternalPath = "/api/internal/diagnostics";

    public static void MapDiagnostics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/diagnostics", (RegionDiagnosis diagnosis, CancellationToken cancellationToken) => JsonAsync(diagnosis.DiagnoseDeploymentAsync(cancellationToken)))
            .WithMetadata(new RequiredRole(ApiRole.Admin))
            .Produces<DeploymentDiagnostics>();
        // Reached only through the region authentication middleware: signed by another region.
        app.MapGet(InternalPath, async (RegionDiagnosis diagnosis, CancellationToken cancellationToken) =>
            Results.Json(await diagnosis.DiagnoseAsync(cancellationToken), ContractsJsonContext.Default.RegionDiagnostics))
            .ExcludeFromDescription();
        app.MapGet(ClockPath, (MultiRegionManager manager, TimeProvider time) =>
            Results.Json(new RegionClock(manager.CurrentRegion, time.GetUtcNow()), ContractsJsonContext.Default.RegionClock))
            .ExcludeFromDescription();
    }

    private static async Task<IResult> JsonAsync(Task<DeploymentDiagnostics> diagnostics) =>
        Results.Json(await diagnostics, ContractsJsonContext.Default.DeploymentDiagnostics);
}
