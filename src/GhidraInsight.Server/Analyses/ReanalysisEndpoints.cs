using System.Globalization;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Security;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Regions.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace GhidraInsight.Server.Analyses;

/// <summary>
/// <c>POST /api/reanalyze[?concurrency=N]</c> starts re-analysing every result an older engine made, at the primary (a strong
/// write: forwarded there from any region); <c>GET /api/reanalyze</c> shows how far it got, from the primary too. Both need the
/// admin role. The inter-region <c>POST /api/internal/reanalyze</c> is how a region asks the primary for results it served stale.
/// </summary>
internal static class ReanalysisEndpoints
{
    public const string Path = "/api/reanalyze";
    private const int DefaultConcurrency = 2;

    public static void MapReanalysis(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, Start).WithMetadata(new RequiredRole(ApiRole.Admin)).RequiresPrimary()
            .Produces<ReanalysisStatus>(StatusCodes.Status202Accepted)
            .Produces<ReanalysisStatus>()
            .ProducesProblems((StatusCodes.Status400BadRequest, ProblemCodes.BadInput), (StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable))
            .WithDescription("Starts re-analysing every stored result an older engine made (202), or shows the job already running (200).");
        app.MapGet(Path, StatusAsync).WithMetadata(new RequiredRole(ApiRole.Admin))
            .Produces<ReanalysisStatus>()
            .ProducesProblems((StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable));
        app.MapPost(Reanalysis.InternalPath, AcceptAsync).ExcludeFromDescription();
    }

    private static IResult Start(HttpRequest request, Reanalysis reanalysis)
    {
        var text = request.Query["concurrency"].ToString();
        var concurrency = DefaultConcurrency;
        if (text.Length > 0 && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out concurrency) || concurrency is < 1 or > Reanalysis.MaxConcurrency))
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, $"concurrency must be a whole number from 1 to {Reanalysis.MaxConcurrency}.",
                $"concurrency was '{text}'.");
        }

        var (started, status) = reanalysis.Start(concurrency);
        return Results.Json(status, ContractsJsonContext.Default.ReanalysisStatus, statusCode: started ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
    }

    /// <summary>The job runs at the primary: another region passes the question on (once), and answers itself only when it cannot.</summary>
    private static async Task StatusAsync(HttpContext context, Reanalysis reanalysis, MultiRegionManager regions)
    {
        if (!regions.IsCurrentRegionPrimary && regions.PrimaryEndpoint is not null && !context.Request.Headers.ContainsKey(ForwardingHeaders.ForwardedBy))
        {
            var error = await regions.RouteToPrimaryAsync(context);
            if (error == ForwarderError.None || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            context.Response.Clear();
            context.Response.Headers.RetryAfter = "2";
            await Problem.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable,
                "The primary region, which runs re-analysis, does not answer.", $"{regions.PrimaryRegion}: {error}");
            return;
        }

        await Results.Json(reanalysis.Status(), ContractsJsonContext.Default.ReanalysisStatus).ExecuteAsync(context);
    }

    private static async Task<IResult> AcceptAsync(HttpRequest request, Reanalysis reanalysis, CancellationToken cancellationToken)
    {
        ReanalysisRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync(ContractsJsonContext.Default.ReanalysisRequest, cancellationToken);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The body must be {\"ids\": [...]}.", ex.Message);
        }

        var ids = new List<string>();
        foreach (var id in body?.Ids ?? [])
        {
            if (AnalysisIds.TryNormalize(id, out var key))
            {
                ids.Add(key);
            }
        }
        if (ids.Count == 0)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The body must name at least one analysis id (64 hex digits).", null);
        }

        return reanalysis.Accept(ids)
            ? Results.Accepted()
            : Problem.Result(StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable, "This region is not the primary; ask the primary.", null);
    }
}
