using System.Globalization;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Security;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Regions.Replication;

/// <summary><c>GET /api/conflicts?limit=&amp;after=</c>: strong writes that lost to a newer epoch, kept as records (any region).</summary>
internal static class ConflictEndpoints
{
    public static void MapConflicts(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/conflicts", ListAsync)
            .WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<ConflictPage>()
            .ProducesProblems((StatusCodes.Status400BadRequest, ProblemCodes.BadInput));

    private static async Task<IResult> ListAsync(HttpRequest request, IReplicationLog log, CancellationToken cancellationToken)
    {
        if (Paging.Limit(request) is not { } limit)
        {
            return Paging.BadLimit(request);
        }

        var afterText = request.Query["after"].ToString();
        long? after = null;
        if (afterText.Length > 0)
        {
            if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var afterId))
            {
                return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "after must be a conflict id (a whole number).", $"after was '{afterText}'.");
            }
            after = afterId;
        }

        var conflicts = await log.ListConflictsAsync(limit, after, cancellationToken);
        var items = conflicts.Select(conflict => new ConflictItem(conflict.Id, conflict.Kind, conflict.AnalysisId, AnnotationBody.HexAddress(conflict.Address),
            AnnotationBody.From(conflict.Lost), conflict.WonEpoch, conflict.WonVersion, conflict.ReportedBy, conflict.RecordedAt)).ToList();
        return Results.Json(new ConflictPage(items, conflicts.Count == limit ? conflicts[^1].Id : null), ContractsJsonContext.Default.ConflictPage);
    }
}
