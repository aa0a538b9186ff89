using System.Text.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Audit;
using GhidraInsight.Http.Bodies;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Security;
using GhidraInsight.Regions.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GhidraInsight.Regions.Failover;

/// <summary>
/// <c>POST /api/failover</c> (admin): a safe switchover to another region. The signed internal API the regions use during a
/// failover: <c>GET /api/internal/failover/status</c> and <c>POST /api/internal/failover</c> (a switchover relayed to the Raft
/// leader); both are reached only through <see cref="RegionAuthenticationMiddleware"/>.
/// </summary>
internal static class FailoverEndpoints
{
    private const int MaxRequestBytes = 4096;

    public static void MapFailover(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/failover", FailoverAsync)
            .WithMetadata(new RequiredRole(ApiRole.Admin))
            .Accepts<SwitchoverRequest>("application/json")
            .Produces<SwitchoverResult>()
            .ProducesProblems(
                (StatusCodes.Status400BadRequest, ProblemCodes.BadInput),
                (StatusCodes.Status400BadRequest, ProblemCodes.UnknownRegion),
                (StatusCodes.Status409Conflict, ProblemCodes.FailoverUnavailable),
                (StatusCodes.Status409Conflict, ProblemCodes.SwitchoverSuperseded),
                (StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge),
                (StatusCodes.Status503ServiceUnavailable, ProblemCodes.NoLeader),
                (StatusCodes.Status503ServiceUnavailable, ProblemCodes.TargetUnreachable),
                (StatusCodes.Status504GatewayTimeout, ProblemCodes.SwitchoverTimeout));
        app.MapGet(FailoverPaths.Status, StatusAsync).ExcludeFromDescription();
        app.MapPost(FailoverPaths.Switchover, RelayedAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> FailoverAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var coordinator = context.RequestServices.GetService<FailoverCoordinator>();
        var patroni = context.RequestServices.GetService<Patroni.PatroniSwitchover>();
        if (coordinator is null && patroni is null)
        {
            return Problem.Result(StatusCodes.Status409Conflict, ProblemCodes.FailoverUnavailable, "This deployment has no primary election to fail over with.",
                "Failover needs region.enabled, at least two regions with endpoints, and the inter-region secret (or, on PostgreSQL, storage.patroni_url).");
        }

        var body = await BoundedBody.ReadAsync(context.Request.Body, MaxRequestBytes, cancellationToken);
        if (body is null)
        {
            return Problem.Result(StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge, "The request is too large.", $"The limit is {MaxRequestBytes} bytes.");
        }

        SwitchoverRequest? request;
        try
        {
            request = body.Length == 0 ? null : JsonSerializer.Deserialize(body, ContractsJsonContext.Default.SwitchoverRequest);
        }
        catch (JsonException ex)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The body is not valid JSON.", $"Expected {{\"to\": \"REGION\"}}: {ex.Message}");
        }

        if (request?.To is not { Length: > 0 } to)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "Say which region becomes primary.", "The body is {\"to\": \"REGION\"}.");
        }

        // The audit trail names the region asked for, not only the path.
        AuditTarget.Set(context, $"switchover to {to}");

        return ToHttp(coordinator is not null
            ? await coordinator.SwitchoverAsync(to, FailoverReasons.Manual, cancellationToken)
            : await patroni!.SwitchoverAsync(to, cancellationToken));
    }

    private static async Task<IResult> RelayedAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var coordinator = context.RequestServices.GetService<FailoverCoordinator>();
        SwitchoverRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(context.Features.Get<SignedBody>()!.Bytes, ContractsJsonContext.Default.SwitchoverRequest);
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
        return Results.Json(result, ContractsJsonContext.Default.SwitchoverResult);
    }

    private static async Task<IResult> StatusAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var coordinator = context.RequestServices.GetService<FailoverCoordinator>();
        return coordinator is null
            ? Problem.Result(StatusCodes.Status404NotFound, ProblemCodes.FailoverUnavailable, "This region runs no primary election.")
            : Results.Json(await coordinator.LocalStatusAsync(cancellationToken), ContractsJsonContext.Default.FailoverStatus);
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
            ? Results.Json(result, ContractsJsonContext.Default.SwitchoverResult)
            : Problem.Result(status, code, "The switchover did not happen.", result.Detail);
    }
}
