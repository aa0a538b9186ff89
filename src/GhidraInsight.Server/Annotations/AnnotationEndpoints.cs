using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GhidraInsight.Analysis.Json;
using GhidraInsight.Configuration;
using GhidraInsight.Http.Bodies;
using GhidraInsight.Http.Contracts;
using GhidraInsight.Http.Problems;
using GhidraInsight.Http.Security;
using GhidraInsight.Regions;
using GhidraInsight.Regions.Fencing;
using GhidraInsight.Server.Analyses;
using GhidraInsight.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GhidraInsight.Server.Annotations;

/// <summary>
/// Read and write annotations. Writes are strong writes, versioned: <c>If-Match: "N"</c> succeeds only on version N (409
/// otherwise), <c>If-None-Match: *</c> only when none exists yet (412 otherwise); without either the write is unconditional.
/// </summary>
internal static class AnnotationEndpoints
{
    public static void MapAnnotations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/analyses/{id}/annotations", ListAsync).WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<AnnotationList>()
            .ProducesProblems((StatusCodes.Status400BadRequest, ProblemCodes.BadInput), (StatusCodes.Status404NotFound, ProblemCodes.NotFound));
        app.MapGet("/api/analyses/{id}/annotations/{address}", GetAsync).WithMetadata(new RequiredRole(ApiRole.Read))
            .Produces<AnnotationBody>()
            .ProducesProblems((StatusCodes.Status400BadRequest, ProblemCodes.BadInput), (StatusCodes.Status404NotFound, ProblemCodes.NotFound));
        app.MapPut("/api/analyses/{id}/annotations/{address}", PutAsync).WithMetadata(new RequiredRole(ApiRole.Annotate)).RequiresPrimary()
            .Accepts<AnnotationRequestBody>("application/json")
            .Produces<AnnotationBody>()
            .Produces<AnnotationBody>(StatusCodes.Status201Created)
            .ProducesProblems(
                (StatusCodes.Status400BadRequest, ProblemCodes.BadInput),
                (StatusCodes.Status404NotFound, ProblemCodes.NotFound),
                (StatusCodes.Status409Conflict, ProblemCodes.VersionConflict),
                (StatusCodes.Status412PreconditionFailed, ProblemCodes.PreconditionFailed),
                (StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge),
                (StatusCodes.Status503ServiceUnavailable, ProblemCodes.PrimaryUnavailable),
                (StatusCodes.Status503ServiceUnavailable, ProblemCodes.NotReplicated));
    }

    private static async Task<IResult> ListAsync(string id, HttpRequest request, HttpResponse response, AnalysisService analyses, IAnalysisStore store,
        GhidraOptions options, CancellationToken cancellationToken)
    {
        if (!AnalysisIds.TryNormalize(id, out var key))
        {
            return AnalysisEndpoints.BadId(id);
        }
        if (Paging.Limit(request) is not { } limit)
        {
            return Paging.BadLimit(request);
        }
        var afterText = request.Query["after"].ToString();
        ulong? after = null;
        if (afterText.Length > 0)
        {
            if (!HexAddressConverter.TryParse(afterText, out var afterAddress))
            {
                return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "after must be an address in hex, like 0x401126.", $"after was '{afterText}'.");
            }
            after = afterAddress;
        }
        if (await analyses.GetAsync(key, cancellationToken) is null)
        {
            return AnalysisEndpoints.NotFound(key);
        }
        var annotations = await store.GetAnnotationsAsync(key, limit, after, cancellationToken);
        // The page's ETag changes whenever any of its annotations' versions does.
        var fingerprint = string.Join(';', annotations.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Address:x}:{a.Version}")));
        response.Headers.ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)))[..16]}\"";
        var next = annotations.Count == limit ? AnnotationBody.HexAddress(annotations[^1].Address) : null;
        var body = new AnnotationList(key, options.Region.CurrentRegion, [.. annotations.Select(a => AnnotationBody.From(a))], next);
        return Results.Json(body, ContractsJsonContext.Default.AnnotationList);
    }

    /// <summary>
    /// An analysis uploaded at another region a moment ago may not have replicated here yet: a client that uploads and then
    /// annotates (through the gateway: the upload to the nearest region, the annotation to the primary) would otherwise be told it
    /// does not exist. Waits for it a short while (replication lag is well under a second); true when it arrived.
    /// </summary>
    private static async Task<bool> ArrivesSoonAsync(IAnalysisStore store, string id, CancellationToken cancellationToken)
    {
        for (var waited = TimeSpan.Zero; waited < ReplicationGrace; waited += ReplicationPoll)
        {
            await Task.Delay(ReplicationPoll, cancellationToken);
            if (await store.GetAnalysisAsync(id, cancellationToken) is not null)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>How long an annotation for an analysis not stored here waits for it to replicate, and how often it looks.</summary>
    private static readonly TimeSpan ReplicationGrace = TimeSpan.FromMilliseconds(1500);
    private static readonly TimeSpan ReplicationPoll = TimeSpan.FromMilliseconds(50);

    private static async Task<IResult> GetAsync(string id, string address, HttpResponse response, IAnalysisStore store, CancellationToken cancellationToken)
    {
        if (!AnalysisIds.TryNormalize(id, out var key))
        {
            return AnalysisEndpoints.BadId(id);
        }
        if (!HexAddressConverter.TryParse(address, out var at))
        {
            return BadAddress(address);
        }
        var annotation = await store.GetAnnotationAsync(key, at, cancellationToken);
        if (annotation is null)
        {
            return Problem.Result(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No annotation at that address.", $"{key} has none at {HexAddressConverter.Format(at)}.");
        }
        response.Headers.ETag = ETag(annotation.Version);
        return Results.Json(AnnotationBody.From(annotation), ContractsJsonContext.Default.AnnotationBody);
    }

    private static async Task<IResult> PutAsync(string id, string address, HttpRequest request, HttpResponse response, IAnalysisStore store, GhidraOptions options,
        MultiRegionManager regions, WriteEpoch epoch, CancellationToken cancellationToken)
    {
        if (!AnalysisIds.TryNormalize(id, out var key))
        {
            return AnalysisEndpoints.BadId(id);
        }
        if (!HexAddressConverter.TryParse(address, out var at))
        {
            return BadAddress(address);
        }
        var (expected, preconditionError) = Preconditions.Read(request);
        if (preconditionError is not null)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "If-Match must be a version ETag like \"3\".", preconditionError);
        }
        // An annotation is small (see AnnotationRequest's limits): a larger body is refused before it is held, not parsed.
        var bytes = request.ContentLength > AnnotationRequest.MaxBodyBytes ? null : await BoundedBody.ReadAsync(request.Body, AnnotationRequest.MaxBodyBytes, cancellationToken);
        if (bytes is null)
        {
            return Problem.Result(StatusCodes.Status413PayloadTooLarge, ProblemCodes.FileTooLarge, "The annotation body is too large.",
                $"The limit is {AnnotationRequest.MaxBodyBytes} bytes.");
        }
        var (input, bodyError) = AnnotationRequest.Parse(Encoding.UTF8.GetString(bytes));
        if (input is null)
        {
            return Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The annotation body is not valid.", bodyError);
        }
        var write = await store.PutAnnotationAsync(key, at, input, expected, epoch.Value, cancellationToken);
        if (write.Status == AnnotationWriteStatus.AnalysisNotFound && await ArrivesSoonAsync(store, key, cancellationToken))
        {
            write = await store.PutAnnotationAsync(key, at, input, expected, epoch.Value, cancellationToken);
        }
        switch (write.Status)
        {
            case AnnotationWriteStatus.AnalysisNotFound:
                return AnalysisEndpoints.NotFound(key);
            case AnnotationWriteStatus.VersionConflict when expected == 0:
                response.Headers.ETag = ETag(write.Current!.Version);
                return Problem.Result(StatusCodes.Status412PreconditionFailed, ProblemCodes.PreconditionFailed, "An annotation already exists there.", $"it is at version {write.Current.Version}.");
            case AnnotationWriteStatus.VersionConflict:
                if (write.Current is { } current)
                {
                    response.Headers.ETag = ETag(current.Version);
                }
                return Problem.Result(StatusCodes.Status409Conflict, ProblemCodes.VersionConflict, "The annotation changed since you read it.",
                    $"you sent version {expected}; it is at {(write.Current is null ? "none (deleted or never written)" : write.Current.Version.ToString(CultureInfo.InvariantCulture))}. Read it again and retry.");
        }
        await regions.ReplicateToAllAsync(cancellationToken: cancellationToken);
        response.Headers.ETag = ETag(write.Current!.Version);
        return Results.Json(AnnotationBody.From(write.Current, options.Region.CurrentRegion), ContractsJsonContext.Default.AnnotationBody,
            statusCode: write.Status == AnnotationWriteStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary>An annotation's ETag is its version, quoted.</summary>
    private static string ETag(long version) => $"\"{version}\"";

    private static IResult BadAddress(string address) =>
        Problem.Result(StatusCodes.Status400BadRequest, ProblemCodes.BadInput, "The address must be hex, like 0x401126.", $"address was '{address}'.");
}
