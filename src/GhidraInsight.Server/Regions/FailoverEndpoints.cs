using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GhidraInsight.Configuration;
using GhidraInsight.Regions.Failover;
using GhidraInsight.Regions.Http;
using GhidraInsight.Server.Problems;
using GhidraInsight.Server.Security;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Server.Regions;

/// <summary>
/// <c>POST /api/failover</c> (admin): a safe switchover to another region. The signed internal API the regions use during a
/// failover: <c>GET /api/internal/failover/status</c> and <c>POST /api/internal/failover</c> (a switchover relayed to the
/// Raft leader). <c>GET /api/conflicts</c>: strong writes that lost to a newer epoch.
/// </summary>
internal static class FailoverEndpoints
{
    private const int MaxRequestBytes = 4096;

    public static void MapFailover(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/failover", FailoverAsync).WithMetadata(new RequiredRole(ApiRole.Admin));
        app.MapGet(FailoverPaths.Status, StatusAsync).ExcludeFromDescription();
        app.MapPost(FailoverPaths.Switchover, RelayedAsync).ExcludeFromDescription();
    }

    public static void MapConflicts(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/conflicts", ConflictsAsync).WithMetadata(new RequiredRole(ApiRole.Read));

    private static async Task<IResult> FailoverAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var coordinator = context.RequestServices.GetService<FailoverCoordinator>();
        if (coordinator is null)
        {
            return Problem.Result(StatusCodes.Status409Conflict, ProblemCodes.FailoverUnavailable, "This deployment has no primary election to fail over with.",
                "Failover needs region.enabled, at least two regions with endpoints, and the inter-region secret.");
        }
        var (request, refusal) = await ReadRequestAsync(context, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }
        var result = await coordinator.SwitchoverAsync(request!.To!, FailoverReasons.Manual, cancellationToken);
        return ToHttp(result);
    }

    private static async Task<IResult> RelayedAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await BoundedBody.ReadAsync(context.Request.Body, MaxRequestBytes, cancellationToken);
        if (body is null)
        {
            return Problem.Result(StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge, "The request is too large.");
        }
        if (ReplicationEndpoints.Verify(context, body) is { } unauthorized)
        {
            return unauthorized;
        }
        var coordinator = context.RequestServices.GetService<FailoverCoordinator>();
        SwitchoverRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, FailoverJsonContext.Default.SwitchoverRequest);
        }
        catch (JsonException ex)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The switchover request is not valid JSON.", ex.Message);
        }
        if (coordinator is null || request?.To is not { Length: > 0 } to)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The switchover request needs a target and an election.");
        }
        var reason = request.Reason is FailoverReasons.Config ? FailoverReasons.Config : FailoverReasons.Manual;
        var result = await coordinator.SwitchoverAsync(to, reason, cancellationToken, relay: false);
        return Results.Json(result, FailoverJsonContext.Default.SwitchoverResult);
    }

    private static async Task<IResult> StatusAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (ReplicationEndpoints.Verify(context, []) is { } unauthorized)
        {
            return unauthorized;
        }
        var coordinator = context.RequestServices.GetService<FailoverCoordinator>();
        return coordinator is null
            ? Problem.Result(StatusCodes.Status404NotFound, ProblemCodes.FailoverUnavailable, "This region runs no primary election.")
            : Results.Json(await coordinator.LocalStatusAsync(cancellationToken), FailoverJsonContext.Default.FailoverStatus);
    }

    private static async Task<IResult> ConflictsAsync(HttpRequest request, IAnalysisStore store, CancellationToken cancellationToken)
    {
        var limitText = request.Query["limit"].ToString();
        var limit = 100;
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "limit must be a whole number from 1 to 1000.", $"limit was '{limitText}'.");
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
        var conflicts = await store.ListConflictsAsync(limit, after, cancellationToken);
        var items = new JsonArray();
        foreach (var conflict in conflicts)
        {
            items.Add(new JsonObject
            {
                ["id"] = conflict.Id,
                ["kind"] = conflict.Kind,
                ["analysis_id"] = conflict.AnalysisId,
                ["address"] = "0x" + conflict.Address.ToString("x", CultureInfo.InvariantCulture),
                ["lost"] = Annotations.AnnotationJson.ToNode(conflict.Lost),
                ["won_epoch"] = conflict.WonEpoch,
                ["won_version"] = conflict.WonVersion,
                ["reported_by"] = conflict.ReportedBy,
                ["recorded_at"] = conflict.RecordedAt.ToString("O", CultureInfo.InvariantCulture),
            });
        }
        var body = new JsonObject { ["items"] = items, ["next"] = conflicts.Count == limit ? conflicts[^1].Id : null };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private static async Task<(SwitchoverRequest? Request, IResult? Refusal)> ReadRequestAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await BoundedBody.ReadAsync(context.Request.Body, MaxRequestBytes, cancellationToken);
        if (body is null)
        {
            return (null, Problem.Result(StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge, "The request is too large.", $"The limit is {MaxRequestBytes} bytes."));
        }
        try
        {
            var request = body.Length == 0 ? null : JsonSerializer.Deserialize(body, FailoverJsonContext.Default.SwitchoverRequest);
            return request?.To is { Length: > 0 }
                ? (request, null)
                : (null, Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "Say which region becomes primary.", "The body is {\"to\": \"REGION\"}."));
        }
        catch (JsonException ex)
        {
            return (null, Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The body is not valid JSON.", $"Expected {{\"to\": \"REGION\"}}: {ex.Message}"));
        }
    }

    private static IResult ToHttp(SwitchoverResult result)
    {
        var (status, code) = result.Outcome switch
        {
            SwitchoverOutcome.Done or SwitchoverOutcome.AlreadyPrimary => (StatusCodes.Status200OK, null),
            SwitchoverOutcome.UnknownRegion => (StatusCodes.Status400BadRequest, ProblemCodes.UnknownRegion),
            SwitchoverOutcome.NoLeader => (StatusCodes.Status503ServiceUnavailable, ProblemCodes.NoLeader),
            SwitchoverOutcome.TargetUnreachable => (StatusCodes.Status503ServiceUnavailable, ProblemCodes.TargetUnreachable),
            SwitchoverOutcome.TimedOut => (StatusCodes.Status504GatewayTimeout, ProblemCodes.SwitchoverTimeout),
            _ => (StatusCodes.Status409Conflict, ProblemCodes.SwitchoverSuperseded),
        };
        return code is null
            ? Results.Json(result, FailoverJsonContext.Default.SwitchoverResult)
            : Problem.Result(status, code, "The switchover did not happen.", result.Detail);
    }
}
