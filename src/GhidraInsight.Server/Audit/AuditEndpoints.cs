using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Security;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Server.Audit;

/// <summary><c>GET /api/audit?limit=&amp;after=</c>: the audit trail in time order, every region's entries (admin role).</summary>
internal static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/audit", ListAsync).WithMetadata(new RequiredRole(ApiRole.Admin))
            .Produces<AuditPage>()
            .ProducesProblems((StatusCodes.Status400BadRequest, ProblemCodes.BadInput));

    private static async Task<IResult> ListAsync(HttpRequest request, IAuditTrail trail, CancellationToken cancellationToken)
    {
        if (Paging.Limit(request) is not { } limit)
        {
            return Paging.BadLimit(request);
        }
        var after = request.Query["after"].ToString();
        if (after.Length > 0 && !Guid.TryParseExact(after, "D", out _))
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "after must be an audit entry id (a UUID, the next of the previous page).",
                $"after was '{after}'.");
        }

        var entries = await trail.ListAsync(limit, after.Length > 0 ? after : null, cancellationToken);
        var items = entries.Select(e => new AuditItem(e.Id, e.At, e.Region, e.KeyName, e.Action, e.Target, e.Result)).ToList();
        return Results.Json(new AuditPage(items, entries.Count == limit ? entries[^1].Id : null), ContractsJsonContext.Default.AuditPage);
    }
}
