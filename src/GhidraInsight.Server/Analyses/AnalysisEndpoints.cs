using System.Text.Json;
using GhidraInsight.Analysis;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Security;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Server.Analyses;

/// <summary>Upload, read, list and delete analyses, and read one function.</summary>
internal static class AnalysisEndpoints
{
    /// <summary>The longest search text <c>GET /api/analyses?q=</c> takes (trimmed): a name is at most as long.</summary>
    private const int MaxQueryLength = UploadName.MaxLength;

    public static void MapAnalyses(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/analyze", AnalyzeAsync).WithMetadata(new RequiredRole(ApiRole.Analyze)).DisableAntiforgery()
            .Accepts<byte[]>("application/octet-stream", "multipart/form-data")
            .Produces<JsonElement>(contentType: "application/json")
            .ProducesProblems(
                (StatusCodes.Status400BadRequest, ProblemCodes.EmptyBody),
                (StatusCodes.Status400BadRequest, ProblemCodes.BadInput),
                (StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge),
                (StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType),
                (StatusCodes.Status503ServiceUnavailable, ProblemCodes.Busy),
                (StatusCodes.Status503ServiceUnavailable, ProblemCodes.StorageFull))
            .WithDescription("The analysis of the uploaded binary, with the serving region (see the README's analysis fields).");
        app.MapGet("/api/analyses", ListAsync).WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<AnalysisListPage>()
            .ProducesProblems((StatusCodes.Status400BadRequest, ProblemCodes.BadInput));
        app.MapGet("/api/analyses/{id}", GetAsync).WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<JsonElement>(contentType: "application/json")
            .ProducesProblems((StatusCodes.Status400BadRequest, ProblemCodes.BadInput), (StatusCodes.Status404NotFound, ProblemCodes.NotFound));
        app.MapDelete("/api/analyses/{id}", DeleteAsync).WithMetadata(new RequiredRole(ApiRole.Admin)).RequiresPrimary()
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(
                (StatusCodes.Status400BadRequest, ProblemCodes.BadInput),
                (StatusCodes.Status404NotFound, ProblemCodes.NotFound),
                (StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable),
                (StatusCodes.Status503ServiceUnavailable, ProblemCodes.NotReplicated));
        app.MapGet("/api/analyses/{id}/functions/{address}", GetFunctionAsync).WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<FunctionView>()
            .ProducesProblems((StatusCodes.Status400BadRequest, ProblemCodes.BadInput), (StatusCodes.Status404NotFound, ProblemCodes.NotFound));
    }

    private static async Task<IResult> AnalyzeAsync(HttpRequest request, AnalysisService analyses, GhidraOptions options, DataFolderSpace space,
        CancellationToken cancellationToken)
    {
        // Refused before the body is read: the client learns at once, and the reserve stays for annotations.
        if (space.IsLow && space.FreeBytes is { } free)
        {
            return StorageFullAnswer.Result(request.HttpContext, StorageFullAnswer.Describe(free, space.ReserveBytes));
        }
        var (bytes, fileName, error) = await UploadReader.ReadAsync(request, options.Server.MaxUploadBytes, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        try
        {
            var (analysis, _) = await analyses.AnalyzeAsync(bytes!, UploadName.Choose(request.Query["name"].ToString(), fileName), cancellationToken);
            return AnalysisJsonResponse.Create(analysis, request.HttpContext);
        }
        catch (QueueFullException)
        {
            request.HttpContext.Response.Headers.RetryAfter = "2";
            return Problem.Result(StatusCodes.Status503ServiceUnavailable, ProblemCodes.Busy, "Every analysis slot is taken; try again shortly.",
                $"{options.Server.AnalysisConcurrency} analyses run and {options.Server.AnalysisQueueLimit} may wait.");
        }
        catch (BinaryTooLargeException ex)
        {
            return Problem.Result(StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge, "The binary is larger than this server stores.", ex.Message);
        }
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, AnalysisService analyses, Reanalysis reanalysis, CancellationToken cancellationToken)
    {
        if (!AnalysisIds.TryNormalize(id, out var key))
        {
            return BadId(id);
        }
        if (await analyses.GetAsync(key, cancellationToken) is not { } analysis)
        {
            return NotFound(key);
        }
        if (AnalysisService.IsStale(analysis.Stored))
        {
            // Served as it is, marked stale; the primary makes it again in the background.
            reanalysis.Served(key);
        }
        return AnalysisJsonResponse.Create(analysis, context);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IAnalysisStore store, GhidraOptions options, CancellationToken cancellationToken)
    {
        if (Paging.Limit(request) is not { } limit)
        {
            return Paging.BadLimit(request);
        }
        var after = request.Query["after"].ToString();
        if (after.Length > 0 && !AnalysisIds.TryNormalize(after, out after))
        {
            return BadId(request.Query["after"].ToString());
        }
        var query = request.Query["q"].ToString().Trim();
        if (query.Length > MaxQueryLength)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, $"q must be at most {MaxQueryLength} characters.",
                $"q has {query.Length} characters.");
        }
        var items = await store.ListAnalysesAsync(limit, after.Length > 0 ? after : null, query.Length > 0 ? query : null, cancellationToken);
        var page = new AnalysisListPage(options.Region.CurrentRegion, [.. items.Select(i => new AnalysisListItem(i.Id, i.Format, i.Arch, i.Size, i.CreatedAt, i.EngineVersion,
            EngineVersions.IsOlder(i.EngineVersion, AnalysisEngine.Version), i.Name))],
            items.Count == limit ? items[^1].Id : null);
        return Results.Json(page, ContractsJsonContext.Default.AnalysisListPage);
    }

    private static async Task<IResult> DeleteAsync(string id, AnalysisService analyses, WriteEpoch epoch, CancellationToken cancellationToken)
    {
        if (!AnalysisIds.TryNormalize(id, out var key))
        {
            return BadId(id);
        }
        return await analyses.DeleteAsync(key, epoch.Value, cancellationToken) ? Results.NoContent() : NotFound(key);
    }

    private static async Task<IResult> GetFunctionAsync(string id, string address, AnalysisService analyses, IAnalysisStore store, GhidraOptions options,
        MultiRegionManager regions, CancellationToken cancellationToken)
    {
        if (!AnalysisIds.TryNormalize(id, out var key))
        {
            return BadId(id);
        }
        if (!HexAddressConverter.TryParse(address, out var at))
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The address must be hex, like 0x401126.", $"address was '{address}'.");
        }
        if (await analyses.GetAsync(key, cancellationToken) is not { } stored)
        {
            return NotFound(key);
        }
        var result = AnalysisJson.Deserialize(stored.Stored.ResultJson)!;
        var binary = await store.GetBinaryAsync(key, cancellationToken) ?? await regions.FetchBinaryAsync(key, cancellationToken);
        var detail = binary is null ? null : analyses.Engine.DescribeFunction(binary, result, at, cancellationToken);
        var function = detail?.Function ?? result.Functions.FirstOrDefault(f => f.Address == at);
        if (function is null)
        {
            return Problem.Result(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No function at that address.", $"analysis {key} has no function at {HexAddressConverter.Format(at)}.");
        }
        var annotation = await store.GetAnnotationAsync(key, function.Address, cancellationToken);
        if (annotation?.Name is { } name)
        {
            function = function with { OriginalName = function.Name, Name = name };
        }
        var view = new FunctionView(function, detail?.Callers ?? [], detail?.Instructions ?? [], annotation is null ? null : AnnotationBody.From(annotation),
            binary is not null, options.Region.CurrentRegion);
        return Results.Json(view, AnalysisJson.Options);
    }

    internal static IResult BadId(string id) => Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput,
        "An analysis id is the file's SHA-256: 64 hex characters.", $"id was '{Truncate(id)}'.");

    internal static IResult NotFound(string id) => Problem.Result(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No such analysis.", $"analysis {id} is not stored in this region.");

    private static string Truncate(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
